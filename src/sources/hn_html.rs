//! Saved Hacker News item pages ("Ask HN: Who is hiring?" threads). STUB — being written.
