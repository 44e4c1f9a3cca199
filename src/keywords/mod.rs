//! Keyword taxonomy and matcher. STUB — being written.
