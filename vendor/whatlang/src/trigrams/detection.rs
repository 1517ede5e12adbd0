use hashbrown::HashMap;

use super::utils::{get_trigrams_with_positions, pack, TrigramsWithPositions};
#[cfg(test)]
use super::LangProfile;
use super::LangProfileList;
#[cfg(test)]
use super::Trigram;
use super::{MAX_TOTAL_DISTANCE, MAX_TRIGRAM_DISTANCE};
use super::{ARABIC_LANGS, CYRILLIC_LANGS, DEVANAGARI_LANGS, HEBREW_LANGS, LATIN_LANGS};
use crate::core::{calculate_confidence, FilterList, Info, InternalQuery, Text};
use crate::scripts::grouping::MultiLangScript;
use crate::Lang;

#[derive(Debug)]
pub struct RawOutcome {
    pub trigrams_count: usize,
    pub raw_distances: Vec<(Lang, u32)>,
    pub scores: Vec<(Lang, f64)>,
}

#[inline]
pub fn detect(iquery: &InternalQuery) -> Option<Info> {
    let raw_outcome = raw_detect(iquery);
    let RawOutcome {
        trigrams_count,
        scores,
        ..
    } = raw_outcome;

    let mut raw_scores_iter = scores.into_iter();

    let opt_lang_score1 = raw_scores_iter.next();
    let opt_lang_score2 = raw_scores_iter.next();

    // TODO: Logic is duplicated in alphabets. Consider refactoring
    opt_lang_score1.map(|(lang1, score1)| {
        let script = iquery.multi_lang_script.to_script();
        let confidence = if let Some((_, score2)) = opt_lang_score2 {
            calculate_confidence(score1, score2, trigrams_count)
        } else {
            1.0
        };
        Info::new(script, lang1, confidence)
    })
}

#[inline]
pub fn raw_detect(iquery: &InternalQuery) -> RawOutcome {
    let lang_profile_list = script_to_lang_profile_list(iquery.multi_lang_script);
    calculate_scores_in_profiles(&iquery.text, iquery.filter_list, lang_profile_list)
}

fn script_to_lang_profile_list(script: MultiLangScript) -> LangProfileList {
    use MultiLangScript as MLS;
    match script {
        MLS::Latin => LATIN_LANGS,
        MLS::Cyrillic => CYRILLIC_LANGS,
        MLS::Arabic => ARABIC_LANGS,
        MLS::Devanagari => DEVANAGARI_LANGS,
        MLS::Hebrew => HEBREW_LANGS,
    }
}

#[inline]
fn calculate_scores_in_profiles(
    text: &Text,
    filter_list: &FilterList,
    lang_profile_list: LangProfileList,
) -> RawOutcome {
    let mut lang_distances: Vec<(Lang, u32)> = vec![];

    let TrigramsWithPositions {
        trigram_positions, ..
    } = get_trigrams_with_positions(&text.lowercase());
    let unique_trigrams_count = trigram_positions.len();

    // scour: every profile's distance at once (see `distances`), not one
    // hash lookup per trigram of every profile.
    let dists = distances(lang_profile_list, &trigram_positions);
    for (&(lang, _), dist) in lang_profile_list.iter().zip(dists) {
        if !filter_list.is_allowed(lang) {
            continue;
        }
        lang_distances.push(((lang), dist));
    }

    // Sort languages by distance
    lang_distances.sort_unstable_by_key(|(_, dist)| *dist);

    let max_dist = unique_trigrams_count as u32 * MAX_TRIGRAM_DISTANCE;

    let raw_scores = lang_distances
        .iter()
        .map(|&(lang, distance)| (lang, distance_to_raw_score(distance, max_dist)))
        .collect();

    RawOutcome {
        trigrams_count: unique_trigrams_count,
        scores: raw_scores,
        raw_distances: lang_distances,
    }
}

/// scour: which profiles of a list hold a trigram (packed, see [`pack`]),
/// and where: (the profile's place in the list, the trigram's place in the
/// profile).
type ProfileIndex = HashMap<u64, Vec<(u16, u16)>, rustc_hash::FxBuildHasher>;

/// The index of one of the five profile lists, built on first use.
fn index_of(list: LangProfileList) -> &'static ProfileIndex {
    use std::sync::OnceLock;
    static INDEXES: [OnceLock<ProfileIndex>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let lists = [
        LATIN_LANGS,
        CYRILLIC_LANGS,
        ARABIC_LANGS,
        DEVANAGARI_LANGS,
        HEBREW_LANGS,
    ];
    let slot = lists
        .iter()
        .position(|l| std::ptr::eq(*l, list))
        .expect("one of the five profile lists");
    INDEXES[slot].get_or_init(|| {
        let mut index = ProfileIndex::default();
        for (k, (_, profile)) in list.iter().enumerate() {
            for (i, &trigram) in profile.iter().enumerate() {
                index.entry(pack(trigram)).or_default().push((k as u16, i as u16));
            }
        }
        index
    })
}

/// scour: `calculate_distance` of every profile of `list`, in list order,
/// with one lookup per trigram of the text (at most 600) in an index of the
/// profiles, where `calculate_distance` makes one per trigram of every
/// profile (300 for each of the list's languages, 10,800 for the Latin
/// ones; 60 % of a detection's time on short texts). The same sum: each of
/// a profile's trigrams the text lacks adds the maximum, each it has adds
/// |n - i|, that is the maximum for every trigram plus (|n - i| - maximum)
/// for each one found.
fn distances(list: LangProfileList, text_trigrams: &[(u64, u32)]) -> Vec<u32> {
    let index = index_of(list);
    let mut found = vec![0i64; list.len()];
    for &(trigram, n) in text_trigrams {
        if let Some(places) = index.get(&trigram) {
            for &(k, i) in places {
                let d = (n as i32 - i32::from(i)).unsigned_abs();
                found[k as usize] += i64::from(d) - i64::from(MAX_TRIGRAM_DISTANCE);
            }
        }
    }
    let count = text_trigrams.len() as u32;
    list.iter()
        .zip(found)
        .map(|(&(_, profile), found)| {
            let all_missing = profile.len() as i64 * i64::from(MAX_TRIGRAM_DISTANCE);
            let mut total_dist = (all_missing + found) as u32;
            if MAX_TRIGRAM_DISTANCE > count {
                let delta = MAX_TRIGRAM_DISTANCE - count;
                total_dist -= delta * MAX_TRIGRAM_DISTANCE;
            }
            total_dist.clamp(0, MAX_TOTAL_DISTANCE)
        })
        .collect()
}

#[cfg(test)]
#[inline]
fn calculate_distance(
    lang_trigrams: LangProfile,
    text_trigrams: &std::collections::HashMap<Trigram, u32>,
) -> u32 {
    let mut total_dist = 0u32;

    for (i, &trigram) in lang_trigrams.iter().enumerate() {
        let dist = match text_trigrams.get(&trigram) {
            Some(&n) => (n as i32 - i as i32).unsigned_abs(),
            None => MAX_TRIGRAM_DISTANCE,
        };
        total_dist += dist;
    }

    let count = text_trigrams.len() as u32;

    if MAX_TRIGRAM_DISTANCE > count {
        let delta = MAX_TRIGRAM_DISTANCE - count;
        total_dist -= delta * MAX_TRIGRAM_DISTANCE;
    }

    total_dist.clamp(0, MAX_TOTAL_DISTANCE)
}

#[inline]
fn distance_to_raw_score(distance: u32, max_distance: u32) -> f64 {
    let similarity = max_distance - distance;
    similarity as f64 / max_distance as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scour: the text's ranked trigrams are upstream's, and `distances`
    /// gives what `calculate_distance` gives on upstream's ranks, profile by
    /// profile, on texts of every script's letters and of random ones.
    #[test]
    fn distances_are_calculate_distance() {
        use crate::trigrams::utils::{get_trigrams_with_positions, reference_positions};
        let texts = [
            "Die Ordnung muss für immer in diesem Codebase bleiben",
            "The quick brown fox jumps over the lazy dog and then some more words follow here",
            "Привет, как дела? Это текст на русском языке, довольно длинный для проверки.",
            "مرحبا بكم في هذا النص العربي الطويل نسبيا للاختبار",
            "यह हिंदी में लिखा गया एक लंबा वाक्य है जो परीक्षण के लिए है",
            "שלום עולם זהו טקסט בעברית לבדיקה",
            "a",
            "",
        ];
        let lists = [LATIN_LANGS, CYRILLIC_LANGS, ARABIC_LANGS, DEVANAGARI_LANGS, HEBREW_LANGS];
        let check = |text: &str| {
            let text_ = Text::new(text);
            let lower = text_.lowercase();
            let positions = get_trigrams_with_positions(&lower).trigram_positions;
            let reference = reference_positions(&lower);
            let mut packed: Vec<(u64, u32)> =
                reference.iter().map(|(&t, &n)| (pack(t), n)).collect();
            packed.sort_unstable_by_key(|&(_, n)| n);
            assert_eq!(positions, packed, "{text:?}");
            for list in lists {
                let fast = distances(list, &positions);
                for (&(_, profile), d) in list.iter().zip(fast) {
                    assert_eq!(d, calculate_distance(profile, &reference), "{text:?}");
                }
            }
        };
        for t in texts {
            check(t);
        }
        // Long texts: many trigrams, positions up to 600.
        let long: String = texts.iter().cycle().take(40).copied().collect::<Vec<_>>().join(" ");
        check(&long);
        arbtest::builder().budget_ms(3_000).run(|u| {
            let s: String = u.arbitrary()?;
            check(&s);
            // Words from the profiles' alphabets, so that trigrams are found.
            let words: Vec<&str> = (0..u.int_in_range(0..=200)?)
                .map(|_| u.choose(&texts[..6]).map(|t| *t))
                .collect::<Result<_, _>>()?;
            check(&words.join(" "));
            // scour: more than 600 distinct trigrams, many of one count, so
            // that the selection of the first 600 and its order are tested.
            let letters: String = (0..u.int_in_range(0..=6000)?)
                .map(|_| u.choose(&"abcdefghijkl ".chars().collect::<Vec<_>>()).copied())
                .collect::<Result<_, _>>()?;
            check(&letters);
            Ok(())
        });
    }

    #[test]
    fn test_when_german_is_given() {
        let text = "Die Ordnung muss für immer in diesem Codebase bleiben";
        let iq = InternalQuery {
            text: Text::new(text),
            filter_list: &FilterList::default(),
            multi_lang_script: MultiLangScript::Latin,
        };
        let raw_outcome = raw_detect(&iq);

        assert_eq!(raw_outcome.trigrams_count, 50);

        let &(first_lang, first_score) = raw_outcome.scores.first().unwrap();
        let &(_last_lang, last_score) = raw_outcome.scores.last().unwrap();

        assert_eq!(first_lang, Lang::Deu);

        assert!(first_score >= 0.0);
        assert!(first_score <= 1.0);

        assert!(last_score >= 0.0);
        assert!(last_score <= 1.0);
    }
}
