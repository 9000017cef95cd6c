//! `VecMap` and `VecSet` against `BTreeMap` and `BTreeSet` as models: same results, same
//! order, same serialised form.

use std::collections::{BTreeMap, BTreeSet};

use didact_map::{VecMap, VecSet};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Insert(u8, u16),
    Remove(u8),
    Entry(u8),
    Retain(u8),
    Extend(Vec<(u8, u16)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Insert(k % 32, v)),
        any::<u8>().prop_map(|k| Op::Remove(k % 32)),
        any::<u8>().prop_map(|k| Op::Entry(k % 32)),
        any::<u8>().prop_map(|m| Op::Retain(m % 5 + 1)),
        proptest::collection::vec((0..32u8, any::<u16>()), 0..12).prop_map(Op::Extend),
    ]
}

proptest! {
    #[test]
    fn a_map_behaves_like_a_btree_map(ops in proptest::collection::vec(op(), 0..200)) {
        let mut model = BTreeMap::new();
        let mut map = VecMap::new();
        for op in ops {
            match op {
                Op::Insert(k, v) => prop_assert_eq!(map.insert(k, v), model.insert(k, v)),
                Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
                Op::Entry(k) => {
                    // Values are any u16, so the counter wraps as it would in both.
                    let counter = map.entry(k).or_default();
                    *counter = counter.wrapping_add(1);
                    let counter = model.entry(k).or_default();
                    *counter = counter.wrapping_add(1);
                }
                Op::Retain(m) => {
                    map.retain(|k, _| k % m != 0);
                    model.retain(|k, _| k % m != 0);
                }
                Op::Extend(pairs) => {
                    map.extend(pairs.iter().copied());
                    model.extend(pairs.iter().copied());
                }
            }
            prop_assert_eq!(map.len(), model.len());
        }
        prop_assert!(map.iter().eq(model.iter()));
        prop_assert!(map.iter().rev().eq(model.iter().rev()));
        prop_assert!(map.keys().eq(model.keys()));
        prop_assert!(map.values().eq(model.values()));
        for k in 0..32u8 {
            prop_assert_eq!(map.get(&k), model.get(&k));
            prop_assert_eq!(map.contains_key(&k), model.contains_key(&k));
        }
        prop_assert_eq!(format!("{map:?}"), format!("{model:?}"));
        prop_assert_eq!(
            serde_json::to_string(&map).unwrap(),
            serde_json::to_string(&model).unwrap()
        );
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_key_like_a_btree_map(
        pairs in proptest::collection::vec((0..16u8, any::<u16>()), 0..64)
    ) {
        let map: VecMap<_, _> = pairs.iter().copied().collect();
        let model: BTreeMap<_, _> = pairs.iter().copied().collect();
        prop_assert!(map.into_iter().eq(model));
    }

    #[test]
    fn a_set_behaves_like_a_btree_set(
        inserts in proptest::collection::vec(0..32u8, 0..200),
        more in proptest::collection::vec(0..40u8, 0..40),
    ) {
        let mut model = BTreeSet::new();
        let mut set = VecSet::new();
        set.extend(more.iter().copied());
        model.extend(more.iter().copied());
        for value in inserts {
            prop_assert_eq!(set.insert(value), model.insert(value));
        }
        prop_assert!(set.iter().eq(model.iter()));
        for value in 0..32u8 {
            prop_assert_eq!(set.contains(&value), model.contains(&value));
        }
        prop_assert_eq!(
            serde_json::to_string(&set).unwrap(),
            serde_json::to_string(&model).unwrap()
        );
    }
}

#[test]
fn a_saved_map_reads_back_whatever_the_order_of_its_keys() {
    let map: VecMap<String, u32> = serde_json::from_str(r#"{"b": 2, "a": 1, "c": 3}"#).unwrap();
    assert_eq!(
        map.iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [("a", 1), ("b", 2), ("c", 3)]
    );
    // A repeated key keeps its last value, as `BTreeMap` does.
    let map: VecMap<String, u32> = serde_json::from_str(r#"{"a": 1, "a": 2}"#).unwrap();
    assert_eq!(map.get("a"), Some(&2));
    assert_eq!(map.len(), 1);
}

#[test]
fn entries_out_of_order_read_back_in_order() {
    let n = 2_000u32;
    let text = format!(
        "{{{}}}",
        (0..n)
            .rev()
            .map(|i| format!("\"k{i:05}\": {i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let map: VecMap<String, u32> = serde_json::from_str(&text).unwrap();
    assert_eq!(map.len(), n as usize);
    assert!(map
        .iter()
        .zip(0..)
        .all(|((k, &v), i)| v == i && *k == format!("k{i:05}")));
    let set: VecSet<u32> = (0..n).rev().chain(0..10).collect();
    assert!(set.iter().copied().eq(0..n));
}

#[test]
fn a_map_is_read_only_from_a_map_and_a_set_only_from_a_sequence() {
    assert!(serde_json::from_str::<VecMap<String, u32>>("[]").is_err());
    assert!(serde_json::from_str::<VecSet<String>>("{}").is_err());
    let set: VecSet<String> = serde_json::from_str(r#"["b", "a", "b"]"#).unwrap();
    assert_eq!(set.iter().collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn string_keys_are_looked_up_by_str_and_indexed() {
    let mut map = VecMap::from([("x".to_owned(), 1), ("y".to_owned(), 2)]);
    assert_eq!(map["y"], 2);
    *map.get_mut("x").unwrap() = 5;
    assert_eq!(map.get("x"), Some(&5));
    for value in map.values_mut() {
        *value += 1;
    }
    for (_, value) in &mut map {
        *value *= 10;
    }
    assert_eq!(map.values().copied().collect::<Vec<_>>(), [60, 30]);
}

#[test]
#[should_panic(expected = "no entry found for key")]
fn indexing_a_missing_key_panics_like_a_btree_map() {
    let map: VecMap<String, u32> = VecMap::new();
    let _ = map["absent"];
}
