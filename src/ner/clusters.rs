//! Distributional word classes learnt from plain text: the exchange algorithm (Kneser & Ney
//! 1993; Martin, Liermann & Ney 1998) maximising the likelihood of a class bigram model. Words
//! that occur in the same contexts ("Swissair", "Sabena"; "Peres", "Barak") land in one class, so
//! the recogniser generalises from names it saw to names it did not.
//!
//! Deterministic: words start in classes by frequency rank, and are visited in a fixed order.

use std::collections::HashMap;

use crate::doc::Doc;
use crate::perceptron::{hash_str, HashIndex};

/// Word (hash of its form) → class.
pub type Classes = HashIndex<u16>;

/// Clusters the word forms of `docs` occurring at least `min_count` times into `k` classes.
pub fn learn(docs: &[&Doc], k: usize, min_count: usize, iterations: usize) -> Classes {
    // Vocabulary by frequency (ties by form, for determinism).
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        for f in &d.form {
            *freq.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, usize)> = freq.into_iter().filter(|&(_, c)| c >= min_count).collect();
    vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let id: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, &(w, _))| (w, i as u32))
        .collect();
    let v = vocab.len();
    if v == 0 || k < 2 {
        return Classes::default();
    }
    // Rare words share one extra, fixed class (index k) so their contexts still count.
    let rare = v as u32;
    let word = |f: &str| id.get(f).copied().unwrap_or(rare);
    let mut right: Vec<HashMap<u32, u32>> = vec![HashMap::new(); v + 1];
    let mut left: Vec<HashMap<u32, u32>> = vec![HashMap::new(); v + 1];
    let mut count = vec![0f64; v + 1];
    for d in docs {
        for s in &d.sentences {
            for i in s.range() {
                let a = word(&d.form[i]);
                count[a as usize] += 1.0;
                if i + 1 < s.end {
                    let b = word(&d.form[i + 1]);
                    *right[a as usize].entry(b).or_default() += 1;
                    *left[b as usize].entry(a).or_default() += 1;
                }
            }
        }
    }
    let right: Vec<Vec<(u32, f64)>> = right.into_iter().map(sorted).collect();
    let left: Vec<Vec<(u32, f64)>> = left.into_iter().map(sorted).collect();
    let nc = k + 1;
    let mut class: Vec<usize> = (0..v).map(|i| i % k).collect();
    class.push(k);
    let mut big = vec![0f64; nc * nc];
    let mut uni = vec![0f64; nc];
    for w in 0..=v {
        uni[class[w]] += count[w];
        for &(x, c) in &right[w] {
            big[class[w] * nc + class[x as usize]] += c;
        }
    }
    let f = |x: f64| if x > 0.0 { x * x.ln() } else { 0.0 };
    let mut r = vec![0f64; nc];
    let mut l = vec![0f64; nc];
    for _ in 0..iterations {
        let mut moved = 0;
        for w in 0..v {
            // Context class counts of w, self-bigrams left out.
            r.iter_mut().for_each(|x| *x = 0.0);
            l.iter_mut().for_each(|x| *x = 0.0);
            for &(x, c) in &right[w] {
                if x as usize != w {
                    r[class[x as usize]] += c;
                }
            }
            for &(x, c) in &left[w] {
                if x as usize != w {
                    l[class[x as usize]] += c;
                }
            }
            let a = class[w];
            // Take w out of a.
            for c in 0..nc {
                big[a * nc + c] -= r[c];
                big[c * nc + a] -= l[c];
            }
            uni[a] -= count[w];
            let rs: Vec<usize> = (0..nc).filter(|&c| r[c] != 0.0).collect();
            let ls: Vec<usize> = (0..nc).filter(|&c| l[c] != 0.0).collect();
            let mut best = (a, f64::NEG_INFINITY);
            for b in 0..k {
                let mut gain = 0.0;
                for &c in &rs {
                    if c != b {
                        let n = big[b * nc + c];
                        gain += f(n + r[c]) - f(n);
                    }
                }
                for &c in &ls {
                    if c != b {
                        let n = big[c * nc + b];
                        gain += f(n + l[c]) - f(n);
                    }
                }
                let n = big[b * nc + b];
                gain += f(n + r[b] + l[b]) - f(n);
                gain -= 2.0 * (f(uni[b] + count[w]) - f(uni[b]));
                if gain > best.1 + 1e-9 {
                    best = (b, gain);
                }
            }
            let b = best.0;
            for c in 0..nc {
                big[b * nc + c] += r[c];
                big[c * nc + b] += l[c];
            }
            // The (b, b) cell got r[b] and l[b] once each above: that is right.
            uni[b] += count[w];
            if b != a {
                class[w] = b;
                moved += 1;
            }
        }
        if moved == 0 {
            break;
        }
    }
    vocab
        .iter()
        .enumerate()
        .map(|(i, &(w, _))| (hash_str(w), class[i] as u16))
        .collect()
}

fn sorted(m: HashMap<u32, u32>) -> Vec<(u32, f64)> {
    let mut v: Vec<(u32, f64)> = m.into_iter().map(|(k, c)| (k, c as f64)).collect();
    v.sort_unstable_by_key(|&(k, _)| k);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Lang;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut text = String::new();
        for i in 0..60 {
            let (city, person) = (
                ["Gent", "Brugge", "Luik"][i % 3],
                ["Jan", "Piet", "Mia"][i % 3],
            );
            text.push_str(&format!("{person} woont in {city} . "));
            text.push_str(&format!("{person} werkt in {city} . "));
        }
        let mut doc = crate::segment::segment(&text, Lang::Nl);
        doc.sentences = vec![crate::doc::Sentence {
            start: 0,
            end: doc.len(),
        }];
        // Five kinds of context, five classes (with more, words of one kind may split: the
        // class bigram likelihood does not prefer merging identical distributions).
        let classes = learn(&[&doc], 5, 2, 10);
        let c = |w: &str| classes[&hash_str(w)];
        assert_eq!(c("Gent"), c("Brugge"));
        assert_eq!(c("Gent"), c("Luik"));
        assert_eq!(c("Jan"), c("Mia"));
        assert_ne!(c("Gent"), c("Jan"));
        assert_eq!(learn(&[&doc], 5, 2, 10), classes, "deterministic");
    }
}
