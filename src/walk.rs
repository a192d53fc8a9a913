//! walk stage (to be written).
