//! PNG charts. STUB — being written.
