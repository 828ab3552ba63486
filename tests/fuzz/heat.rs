//! The fake Heat over HTTP.
