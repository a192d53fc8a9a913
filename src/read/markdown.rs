//! markdown reader (to be written).
