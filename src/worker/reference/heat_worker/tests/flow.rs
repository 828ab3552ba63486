//! Whole jobs.
