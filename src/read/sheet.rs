//! sheet reader (to be written).
