//! `jobtrend match`. STUB — being written.
