//! Deterministic presentation: which questions a learner gets and in which order things are
//! shown, from a seed stored with the learner's progress, so that a reload shows the same quiz.
//!
//! 1. Mix the learner's seed with the quiz id, so two quizzes are arranged independently.
//! 2. Draw `draw` questions from the pool (all of them without `draw`); the drawn questions
//!    keep their authored order, because authors order questions from easy to hard.
//! 3. Per drawn question, mix in the question id and permute what is shown: the choices when
//!    the quiz says `shuffle: true`; always the ordering items and the matching right sides,
//!    never in the correct order, since that would give the answer away.
//!
//! The generator is splitmix64 and the hash FNV-1a, written here so that the browser and the
//! build compute the same arrangement on every platform.

use serde::{Deserialize, Serialize};

use crate::spec::{QuestionKind, Quiz};

/// What one learner is shown of a quiz.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrangement {
    /// The drawn questions, in the order they are shown.
    pub questions: Vec<Placement>,
}

/// One question as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Index of the question in [`Quiz::questions`].
    pub index: usize,
    /// Display order: `order[k]` is the authored index shown at position `k` of the choices
    /// (single, multiple), items (ordering) or right-side options (matching); empty for the
    /// other types.
    ///
    /// For matching, option `k` of every select is the right side of pair `order[k]`, and a
    /// response names that pair index. Pairs sharing a right side grade the same, so the
    /// runtime may show such a text once.
    pub order: Vec<usize>,
}

/// Arranges `quiz` for the learner whose seed is `seed`; the same inputs always give the same
/// arrangement.
pub fn arrangement(quiz: &Quiz, seed: u64) -> Arrangement {
    let quiz_seed = seed ^ fnv1a(quiz.id.as_bytes());
    let n_questions = quiz.questions.len();
    let n_drawn = match quiz.draw {
        Some(draw) => usize::try_from(draw).map_or(n_questions, |draw| draw.min(n_questions)),
        None => n_questions,
    };
    let mut pool: Vec<usize> = (0..n_questions).collect();
    let mut rng = SplitMix64(quiz_seed);
    partial_shuffle(&mut pool, n_drawn, &mut rng);
    let mut drawn = pool[..n_drawn].to_vec();
    drawn.sort_unstable();

    let questions = drawn
        .into_iter()
        .map(|index| {
            let question = &quiz.questions[index];
            let mut rng = SplitMix64(quiz_seed ^ fnv1a(question.id.as_bytes()).rotate_left(32));
            let order = match &question.kind {
                QuestionKind::Single { choices } | QuestionKind::Multiple { choices } => {
                    let mut order: Vec<usize> = (0..choices.len()).collect();
                    if quiz.shuffle {
                        partial_shuffle(&mut order, choices.len(), &mut rng);
                    }
                    order
                }
                QuestionKind::Ordering { items } => shuffled_away_from_answer(items, &mut rng),
                QuestionKind::Matching { pairs } => {
                    let rights: Vec<&str> = pairs.iter().map(|pair| pair.right.as_str()).collect();
                    shuffled_away_from_answer(&rights, &mut rng)
                }
                QuestionKind::TrueFalse { .. }
                | QuestionKind::ShortText { .. }
                | QuestionKind::Numeric { .. }
                | QuestionKind::Blanks { .. } => Vec::new(),
            };
            Placement { index, order }
        })
        .collect();
    Arrangement { questions }
}

/// A shuffle of `0..items.len()` that does not show `items` in their authored order, unless
/// every item reads the same (then no order differs).
fn shuffled_away_from_answer<T: PartialEq>(items: &[T], rng: &mut SplitMix64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    partial_shuffle(&mut order, items.len(), rng);
    let shows_answer = order
        .iter()
        .enumerate()
        .all(|(position, &item_idx)| items[item_idx] == items[position]);
    // Swapping the first position with one that shows a different text breaks the match.
    if shows_answer {
        if let Some(other) = (1..order.len()).find(|&p| items[order[p]] != items[order[0]]) {
            order.swap(0, other);
        }
    }
    order
}

/// Fisher–Yates on the first `n` positions: `values[..n]` becomes a uniform random sample of
/// `values`, in random order.
fn partial_shuffle(values: &mut [usize], n: usize, rng: &mut SplitMix64) {
    let len = values.len();
    for i in 0..n.min(len.saturating_sub(1)) {
        let span = u64::try_from(len - i).expect("slice lengths fit in u64");
        let offset = usize::try_from(rng.below(span)).expect("offset is below a usize length");
        values.swap(i, i + offset);
    }
}

/// splitmix64 (Steele, Lea and Flood 2014): tiny, fast and good enough to shuffle a quiz.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in `0..bound` (`bound > 0`), by rejecting the biased top of the range.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let value = self.next();
            if value < zone {
                return value % bound;
            }
        }
    }
}

/// FNV-1a, 64 bits.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz(json: &str) -> Quiz {
        serde_json::from_str(json).unwrap()
    }

    const POOL: &str = r#"{"id": "pool", "shuffle": true, "draw": 3, "questions": [
{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "1", "correct": true}, {"text": "2"}, {"text": "3"}, {"text": "4"}]},
{"id": "b", "type": "true_false", "prompt": "P", "answer": true},
{"id": "c", "type": "ordering", "prompt": "P", "items": ["1", "2", "3"]},
{"id": "d", "type": "matching", "prompt": "P", "pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}]},
{"id": "e", "type": "short_text", "prompt": "P", "answers": ["x"]}
]}"#;

    #[track_caller]
    fn check_permutation(order: &[usize], n: usize) {
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn same_seed_gives_same_arrangement() {
        let quiz = quiz(POOL);
        for seed in [0, 1, 42, u64::MAX] {
            assert_eq!(arrangement(&quiz, seed), arrangement(&quiz, seed));
        }
    }

    #[test]
    fn known_seed_gives_a_known_arrangement() {
        // Pins the generator: changing it would reshuffle every learner's saved quiz.
        let quiz = quiz(POOL);
        let res = arrangement(&quiz, 7);
        let summary: Vec<(usize, Vec<usize>)> = res
            .questions
            .iter()
            .map(|placed| (placed.index, placed.order.clone()))
            .collect();
        let expected = [(0, vec![2, 1, 3, 0]), (2, vec![1, 2, 0]), (3, vec![1, 0])];
        assert_eq!(summary, expected);
    }

    #[test]
    fn generator_and_hash_match_their_reference_values() {
        // Reference outputs of splitmix64 seeded with 0, and FNV-1a 64 test vectors.
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn draw_picks_that_many_distinct_questions_in_authored_order() {
        let quiz = quiz(POOL);
        let mut drawn_sets = std::collections::BTreeSet::new();
        for seed in 0..50 {
            let res = arrangement(&quiz, seed);
            let indices: Vec<usize> = res.questions.iter().map(|placed| placed.index).collect();
            assert_eq!(indices.len(), 3);
            assert!(indices.windows(2).all(|w| w[0] < w[1]), "{indices:?}");
            drawn_sets.insert(indices);
        }
        assert!(drawn_sets.len() > 5, "draws should vary with the seed");
    }

    #[test]
    fn without_draw_every_question_is_shown_in_order() {
        let mut quiz = quiz(POOL);
        quiz.draw = None;
        let indices: Vec<usize> = arrangement(&quiz, 3)
            .questions
            .iter()
            .map(|p| p.index)
            .collect();
        assert_eq!(indices, [0, 1, 2, 3, 4]);
        quiz.draw = Some(99);
        assert_eq!(arrangement(&quiz, 3).questions.len(), 5);
    }

    #[test]
    fn orders_are_permutations_and_empty_for_types_without_one() {
        let mut quiz = quiz(POOL);
        quiz.draw = None;
        let res = arrangement(&quiz, 11);
        check_permutation(&res.questions[0].order, 4);
        assert!(res.questions[1].order.is_empty());
        check_permutation(&res.questions[2].order, 3);
        check_permutation(&res.questions[3].order, 2);
        assert!(res.questions[4].order.is_empty());
    }

    #[test]
    fn choices_keep_authored_order_without_shuffle() {
        let mut quiz = quiz(POOL);
        quiz.draw = None;
        quiz.shuffle = false;
        for seed in 0..20 {
            assert_eq!(arrangement(&quiz, seed).questions[0].order, [0, 1, 2, 3]);
        }
    }

    #[test]
    fn shuffled_choices_vary_with_the_seed() {
        let mut quiz = quiz(POOL);
        quiz.draw = None;
        let orders: std::collections::BTreeSet<Vec<usize>> = (0..50)
            .map(|seed| arrangement(&quiz, seed).questions[0].order.clone())
            .collect();
        assert!(orders.len() > 10, "{orders:?}");
    }

    #[test]
    fn ordering_and_matching_are_never_shown_in_the_correct_order() {
        let quiz = quiz(
            r#"{"id": "o", "questions": [
{"id": "two", "type": "ordering", "prompt": "P", "items": ["1", "2"]},
{"id": "dup", "type": "ordering", "prompt": "P", "items": ["x", "x", "y"]},
{"id": "m", "type": "matching", "prompt": "P", "pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}]}
]}"#,
        );
        for seed in 0..500 {
            let res = arrangement(&quiz, seed);
            assert_eq!(res.questions[0].order, [1, 0], "seed {seed}");
            let texts: Vec<&str> = res.questions[1]
                .order
                .iter()
                .map(|&i| ["x", "x", "y"][i])
                .collect();
            assert_ne!(texts, ["x", "x", "y"], "seed {seed}");
            assert_eq!(res.questions[2].order, [1, 0], "seed {seed}");
        }
    }

    #[test]
    fn identical_items_cannot_be_shown_otherwise_and_do_not_hang() {
        let quiz = quiz(
            r#"{"id": "o", "questions": [{"id": "a", "type": "ordering", "prompt": "P", "items": ["x", "x"]}]}"#,
        );
        check_permutation(&arrangement(&quiz, 1).questions[0].order, 2);
    }

    #[test]
    fn different_quizzes_are_arranged_independently() {
        let mut first = quiz(POOL);
        first.draw = None;
        let mut second = first.clone();
        second.id = "other".into();
        let differs = (0..20).any(|seed| arrangement(&first, seed) != arrangement(&second, seed));
        assert!(differs);
    }

    #[test]
    fn empty_quiz_and_zero_draw_do_not_panic() {
        let mut quiz = quiz(r#"{"id": "e", "draw": 0, "questions": []}"#);
        assert!(arrangement(&quiz, 0).questions.is_empty());
        quiz.draw = Some(u32::MAX);
        assert!(arrangement(&quiz, 0).questions.is_empty());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64(5);
        for bound in [1, 2, 3, 7, 1000] {
            assert!((0..100).all(|_| rng.below(bound) < bound));
        }
    }
}
