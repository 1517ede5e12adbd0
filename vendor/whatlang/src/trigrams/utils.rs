use hashbrown::HashMap;
#[cfg(test)]
use std::collections::HashMap as StdHashMap;

use super::Trigram;
use super::TEXT_TRIGRAMS_SIZE;
use crate::core::LowercaseText;
use crate::utils::is_stop_char;

/// scour: the text's trigrams by how often they occur, counted in a map
/// keyed by the trigram packed in an integer (see [`pack`]) with FxHash,
/// and the first [`TEXT_TRIGRAMS_SIZE`] picked by selection before they
/// are sorted: upstream hashed `Trigram`s with aHash, sorted every distinct
/// trigram of the text (a thousand or more on 2,000 bytes of prose) and put
/// the first 600 in a second map. The ranks are the same: the order (count,
/// then trigram, both descending) is total.
pub struct TrigramsWithPositions {
    pub(crate) _total_trigrams: u32,
    /// The text's most frequent trigrams (at most [`TEXT_TRIGRAMS_SIZE`]),
    /// each packed (see [`pack`]), with its rank; in rank order.
    pub(crate) trigram_positions: Vec<(u64, u32)>,
}

/// scour: a trigram as one integer, 21 bits a character, the first highest:
/// every `char` is below 2^21, so the integers order as the `Trigram`s do.
#[inline]
pub(crate) fn pack(t: Trigram) -> u64 {
    (u64::from(t.0) << 42) | (u64::from(t.1) << 21) | u64::from(t.2)
}

type Counts = HashMap<u64, u32, rustc_hash::FxBuildHasher>;

#[inline]
pub fn get_trigrams_with_positions(text: &LowercaseText) -> TrigramsWithPositions {
    let CountResult {
        total_trigrams,
        trigram_occurances,
    } = count(text);
    let trigram_positions = trigram_occurances_to_positions(trigram_occurances);
    TrigramsWithPositions {
        _total_trigrams: total_trigrams,
        trigram_positions,
    }
}

/// scour: the ranks of the [`TEXT_TRIGRAMS_SIZE`] most frequent trigrams,
/// each (count, trigram) one `u128` so that a comparison is one integer's.
#[inline]
fn trigram_occurances_to_positions(trigram_occurances: Counts) -> Vec<(u64, u32)> {
    let mut keys: Vec<u128> = trigram_occurances
        .into_iter()
        .map(|(trigram, count)| (u128::from(count) << 64) | u128::from(trigram))
        .collect();
    if keys.len() > TEXT_TRIGRAMS_SIZE {
        keys.select_nth_unstable_by(TEXT_TRIGRAMS_SIZE - 1, |a, b| b.cmp(a));
        keys.truncate(TEXT_TRIGRAMS_SIZE);
    }
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.into_iter()
        .enumerate()
        .map(|(i, key)| (key as u64, i as u32))
        .collect()
}

/// Upstream's positions, the reference for scour's.
#[cfg(test)]
#[allow(clippy::unnecessary_sort_by)]
pub(crate) fn reference_positions(text: &LowercaseText) -> StdHashMap<Trigram, u32> {
    let mut trigram_occurances: StdHashMap<Trigram, u32> = StdHashMap::new();
    let mut chars_iter = text.chars().map(to_trigram_char).chain(Some(' '));
    let mut c1 = ' ';
    let mut c2 = chars_iter.next().unwrap();
    for c3 in chars_iter {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            *trigram_occurances.entry(Trigram(c1, c2, c3)).or_insert(0) += 1;
        }
        c1 = c2;
        c2 = c3;
    }
    let mut count_vec: Vec<_> = trigram_occurances
        .into_iter()
        .map(|(trigram, count)| (count, trigram))
        .collect();
    count_vec.sort_unstable_by(|a, b| b.cmp(a));
    count_vec
        .into_iter()
        .take(TEXT_TRIGRAMS_SIZE)
        .enumerate()
        .map(|(i, (_, trigram))| (trigram, i as u32))
        .collect()
}

struct CountResult {
    total_trigrams: u32,
    trigram_occurances: Counts,
}

#[inline]
fn count(text: &LowercaseText) -> CountResult {
    let hash_capacity = calculate_initial_hash_capacity(text);
    let mut trigram_occurances =
        Counts::with_capacity_and_hasher(hash_capacity, rustc_hash::FxBuildHasher);
    let mut total_trigrams = 0;

    // iterate through the string and count trigrams
    let mut chars_iter = text
        .chars()
        .map(to_trigram_char)
        //.flat_map(char::to_lowercase)
        .chain(Some(' '));
    let mut c1 = ' ';
    // unwrap is safe, because we always chain a space character on the end of the iterator
    let mut c2 = chars_iter.next().unwrap();
    for cur_char in chars_iter {
        let c3 = cur_char;
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            let trigram = pack(Trigram(c1, c2, c3));
            let count = trigram_occurances.entry(trigram).or_insert(0);
            *count += 1;
            total_trigrams += 1;
        }
        c1 = c2;
        c2 = c3;
    }

    CountResult {
        total_trigrams,
        trigram_occurances,
    }
}

// Convert punctuations and digits to a space.
#[inline]
fn to_trigram_char(ch: char) -> char {
    if is_stop_char(ch) {
        ' '
    } else {
        ch
    }
}

// In order to improve performance, define the initial capacity for trigrams hash map,
// based on the size of the input text.
#[inline]
fn calculate_initial_hash_capacity(text: &str) -> usize {
    const MAX_INITIAL_HASH_CAPACITY: usize = 2048;

    let len = text.len();
    if len > MAX_INITIAL_HASH_CAPACITY {
        MAX_INITIAL_HASH_CAPACITY
    } else {
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_valuable_trigram_chars(chars: &[char]) {
        for &ch in chars.iter() {
            assert_eq!(to_trigram_char(ch), ch);
        }
    }

    fn assert_not_valuable_trigram_chars(chars: &[char]) {
        for &ch in chars.iter() {
            assert_eq!(to_trigram_char(ch), ' ');
        }
    }

    #[test]
    fn test_to_trigram_char() {
        // valuable chars, that matters
        assert_valuable_trigram_chars(&['a', 'z', 'A', 'Z', 'Ж', 'ß']);

        // punctuations, digits, etc..
        //
        // 0x00 - 0x40
        assert_not_valuable_trigram_chars(&['\t', '\n', ' ', '.', '0', '9', ',', '@']);
        // 0x5B - 0x60
        assert_not_valuable_trigram_chars(&['[', ']', '^', '\\', '`']);
        // 0x7B - 0x7E
        assert_not_valuable_trigram_chars(&['[', '|', '{', '}', '~']);
    }

    fn assert_count(text: &str, pairs: &[(&str, u32)]) {
        let lowercase_text = LowercaseText::new(text);
        let CountResult {
            total_trigrams: _,
            trigram_occurances,
        } = count(&lowercase_text);
        for &(trigram_str, expected_n) in pairs.iter() {
            let chars: Vec<char> = trigram_str.chars().collect();
            let trigram = Trigram(chars[0], chars[1], chars[2]);
            let actual_n = trigram_occurances[&pack(trigram)];
            assert_eq!(
                actual_n, expected_n,
                "trigram '{:?}' expected to occur {} times, got {}",
                trigram, expected_n, actual_n
            );
        }
        assert_eq!(trigram_occurances.len(), pairs.len());
    }

    #[test]
    fn test_count() {
        assert_count("", &[]);
        assert_count(",", &[]);
        assert_count("a", &[(" a ", 1)]);
        assert_count("-a-", &[(" a ", 1)]);
        assert_count("yes", &[(" ye", 1), ("yes", 1), ("es ", 1)]);
        assert_count(
            "Give - IT...",
            &[
                (" gi", 1),
                ("giv", 1),
                ("ive", 1),
                ("ve ", 1),
                (" it", 1),
                ("it ", 1),
            ],
        );
    }

    #[test]
    fn test_get_trigrams_with_positions() {
        let lowercase_text = LowercaseText::new("xaaaaabbbb    d");
        let TrigramsWithPositions {
            _total_trigrams,
            trigram_positions,
        } = get_trigrams_with_positions(&lowercase_text);

        assert_eq!(trigram_positions[0], (pack(Trigram('a', 'a', 'a')), 0));
        assert_eq!(trigram_positions[1], (pack(Trigram('b', 'b', 'b')), 1));
        assert_eq!(_total_trigrams, 11);
    }
}
