//! schema.org JobPosting in JSON-LD and microdata. STUB — being written.
