//! The article's predictions and their verdicts. STUB — being written.
