//! The generic fallback for any other saved page. STUB — being written.
