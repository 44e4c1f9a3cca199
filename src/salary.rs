//! Salary extraction. STUB — being written.
