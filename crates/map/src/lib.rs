//! Sorted maps and sets on one `Vec`: the small part of `BTreeMap`/`BTreeSet`'s API that the
//! course model uses, with far less machine code per key and value type.
//!
//! The quiz, simulator and progress types hold a few dozen entries at most, and the browser
//! compiles every map type of them into the wasm runtime: `BTreeMap` brings its node,
//! balancing and bulk-build code (a stable sort) for each instantiation, about 120 kB of the
//! module for some twenty of them. [`VecMap`] keeps its entries sorted by key in one vector
//! (binary search, insert and remove shift the tail), so each instantiation is a few small
//! functions. Iteration, `Debug`, equality and serde behave exactly like `BTreeMap`'s
//! (ascending keys, serialised as a map), so saved data and generated files are unchanged.
//!
//! **Invariant:** pure Rust on serde; no other crate of ours.

mod map;
mod set;

pub use map::{Entry, Iter, IterMut, Keys, Values, ValuesMut, VecMap};
pub use set::VecSet;
