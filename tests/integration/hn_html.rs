//! The HN page parser over fixtures and the real corpus. STUB — being written.
