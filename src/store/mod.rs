//! The Parquet dataset. STUB — being written.
