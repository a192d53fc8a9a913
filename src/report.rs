//! report stage (to be written).
