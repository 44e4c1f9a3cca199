//! Ingest orchestration. STUB — being written.
