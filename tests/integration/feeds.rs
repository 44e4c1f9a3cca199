//! Public feeds and APIs against local servers. STUB — being written.
