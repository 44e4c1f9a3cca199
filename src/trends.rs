//! Polars aggregation. STUB — being written.
