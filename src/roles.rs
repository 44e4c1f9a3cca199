//! Role classification. STUB — being written.
