//! The averaged perceptron every model shares, its hashed features, and the model file format.
//!
//! Features are 64-bit hashes of (template, values). Training keeps, per feature, a short sparse
//! list of (class, weight, running total, last update) and averages at the end (Collins 2002;
//! Honnibal's "averaged perceptron" tagger). The trained model is a compact open-addressing table
//! from feature hash to a run of (class, weight) pairs: scoring touches only classes a feature was
//! ever updated for, which keeps both the files and the inner loop small.
//!
//! Training is deterministic: examples come in a fixed order, shuffled by [`Rng`] with a fixed
//! seed, and the final table is laid out in sorted feature order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::error::{Error, Result};

// ---------------------------------------------------------------------------------------------
// Feature hashing

/// Hashes a string into a feature value (FNV-1a, then a finaliser). Stable across platforms and
/// releases: model files depend on it.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fmix(h)
}

/// MurmurHash3's 64-bit finaliser: spreads every input bit over the output.
#[inline]
pub fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Combines two hashes, order-sensitively.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    fmix(a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// A reusable buffer of hashed features for one decision.
#[derive(Default, Clone, Debug)]
pub struct Features {
    pub hashes: Vec<u64>,
}

impl Features {
    pub fn clear(&mut self) {
        self.hashes.clear();
    }
    /// Template `t` with one value.
    #[inline]
    pub fn add(&mut self, t: u32, a: u64) {
        self.hashes.push(mix(t as u64 + 1, a));
    }
    #[inline]
    pub fn add2(&mut self, t: u32, a: u64, b: u64) {
        self.hashes.push(mix(mix(t as u64 + 1, a), b));
    }
    #[inline]
    pub fn add3(&mut self, t: u32, a: u64, b: u64, c: u64) {
        self.hashes.push(mix(mix(mix(t as u64 + 1, a), b), c));
    }
    #[inline]
    pub fn add4(&mut self, t: u32, a: u64, b: u64, c: u64, d: u64) {
        self.hashes
            .push(mix(mix(mix(mix(t as u64 + 1, a), b), c), d));
    }
    pub fn as_slice(&self) -> &[u64] {
        &self.hashes
    }
}

/// Keys are already hashes: hashing them again would only cost time.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// FNV-1a with a finaliser for string keys: several times faster than the standard library's
/// SipHash on the short words the lexicons are keyed by. The keys are the models' own words and
/// the text's words, looked up, never chosen by an adversary to collide.
#[derive(Default)]
pub struct StrHasher(u64);

impl Hasher for StrHasher {
    fn finish(&self) -> u64 {
        fmix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by strings, hashed with [`StrHasher`].
pub type StrMap<K, V> = HashMap<K, V, BuildHasherDefault<StrHasher>>;

/// A small deterministic PRNG (xorshift64*) for shuffling training data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(fmix(seed) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Training

#[derive(Clone, Copy, Debug)]
struct TrainEntry {
    class: u16,
    weight: f32,
    /// Sum of the weight over all past instants up to `stamp`.
    total: f64,
    stamp: u32,
}

/// An averaged perceptron being trained.
pub struct Trainer {
    n_classes: usize,
    index: HashIndex<u32>,
    rows: Vec<Vec<TrainEntry>>,
    /// The instant: one tick per training example.
    now: u32,
}

impl Trainer {
    pub fn new(n_classes: usize) -> Trainer {
        assert!(n_classes <= u16::MAX as usize, "too many classes");
        Trainer {
            n_classes,
            index: HashIndex::default(),
            rows: Vec::new(),
            now: 0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds each feature's current weights into `scores` (which must hold `n_classes` zeros or
    /// a prior).
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                for e in &self.rows[row as usize] {
                    scores[e.class as usize] += e.weight;
                }
            }
        }
    }

    /// Marks the start of a new training example (for the averages).
    pub fn tick(&mut self) {
        self.now += 1;
    }

    /// The perceptron update: reward `truth`, penalise `guess`.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &f in feats {
            self.bump(f, truth, 1.0);
            self.bump(f, guess, -1.0);
        }
    }

    /// Adds `delta` to the weights of `class` for every feature: the structured update, where
    /// the truth and the guess are whole transition sequences rather than one decision.
    pub fn reward(&mut self, feats: &[u64], class: usize, delta: f32) {
        for &f in feats {
            self.bump(f, class, delta);
        }
    }

    fn bump(&mut self, feat: u64, class: usize, delta: f32) {
        let now = self.now;
        let next = self.rows.len() as u32;
        let row = *self.index.entry(feat).or_insert(next);
        if row == next {
            self.rows.push(Vec::with_capacity(2));
        }
        let entries = &mut self.rows[row as usize];
        let e = match entries.iter_mut().position(|e| e.class as usize == class) {
            Some(k) => &mut entries[k],
            None => {
                entries.push(TrainEntry {
                    class: class as u16,
                    weight: 0.0,
                    total: 0.0,
                    stamp: now,
                });
                entries.last_mut().unwrap()
            }
        };
        e.total += (now - e.stamp) as f64 * e.weight as f64;
        e.stamp = now;
        e.weight += delta;
    }

    /// Averages the weights and freezes them into a compact [`Weights`] table, dropping
    /// averaged weights smaller than `min_abs` (they barely change any decision).
    pub fn finish(self, min_abs: f32) -> Weights {
        let now = self.now.max(1) as f64;
        let mut feats: Vec<(u64, u32)> = self.index.into_iter().collect();
        feats.sort_unstable();
        let mut builder = WeightsBuilder::new(self.n_classes);
        let mut run: Vec<(u16, f32)> = Vec::new();
        for (feat, row) in feats {
            run.clear();
            for e in &self.rows[row as usize] {
                let total = e.total + (self.now - e.stamp) as f64 * e.weight as f64;
                let avg = (total / now) as f32;
                if avg.abs() >= min_abs && avg != 0.0 {
                    run.push((e.class, avg));
                }
            }
            run.sort_unstable_by_key(|&(c, _)| c);
            builder.push(fold(feat), &run);
        }
        builder.build(None)
    }
}

// ---------------------------------------------------------------------------------------------
// Inference

/// A feature's place in the table: its key and where its weights start, in `entries` (the run's
/// first entry holds its length) or, with the [`DENSE`] bit, as a row of `dense`. Slots of 8
/// bytes keep the table small enough to stay mostly in cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    key: u32,
    start: u32,
}

/// Marks a slot whose weights are a dense row.
const DENSE: u32 = 1 << 31;

/// Dense rows are summed this many classes at a time (or twice as many, or the whole row when
/// it is short), the block's sums held in vector registers.
const BLOCK: usize = 8;

/// Scoring sums steps on the stack for tables of up to this many classes.
const STACK_CLASSES: usize = 128;

/// A feature with weights for at least this share (1/n) of the classes is stored dense.
const DENSE_SHARE: usize = 8;

/// One feature's weights as the table holds them.
enum Run<'a> {
    Sparse(&'a [Entry]),
    Dense(&'a [i16]),
}

/// One (class, weight) pair of a feature's run, the weight in quantisation steps. Class and
/// weight sit side by side in 4 bytes, so scoring streams through one array, not two.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    class: u16,
    steps: i16,
}

/// Frozen weights: feature → run of (class, weight).
///
/// Features are keyed by a 32-bit fold of their 64-bit hash (a collision merely adds one
/// feature's weights to another's), and weights are quantised to 16 bits against the table's
/// largest weight, so a model file takes 6 bytes per feature and 4 per weight, and so does the
/// table in memory. The quantisation is applied when the table is built, so a model scores the
/// same before and after saving.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    n_classes: usize,
    /// Open addressing, linear probing; key 0 marks an empty slot.
    slots: Vec<Slot>,
    mask: usize,
    /// Per sparse feature: a header entry whose `class` is the run length, then the run.
    entries: Vec<Entry>,
    /// Dense features, `stride` weights (in steps) each: features with weights for many
    /// classes, added with vector instructions instead of one class at a time.
    dense: Vec<i16>,
    /// A dense row's length: `n_classes` rounded up to a whole [`BLOCK`].
    stride: usize,
    /// Weight of one quantisation step.
    scale: f32,
}

/// The 32-bit key of a feature hash (never 0, which marks an empty slot).
#[inline]
fn fold(f: u64) -> u32 {
    let k = (f ^ (f >> 32)) as u32;
    if k == 0 {
        0x5a5a_5a5a
    } else {
        k
    }
}

struct WeightsBuilder {
    n_classes: usize,
    features: Vec<(u32, u32, u32)>,
    classes: Vec<u16>,
    weights: Vec<f32>,
}

impl WeightsBuilder {
    fn new(n_classes: usize) -> Self {
        WeightsBuilder {
            n_classes,
            features: Vec::new(),
            classes: Vec::new(),
            weights: Vec::new(),
        }
    }
    fn push(&mut self, key: u32, run: &[(u16, f32)]) {
        if run.is_empty() {
            return;
        }
        self.features
            .push((key, self.classes.len() as u32, run.len() as u32));
        for &(c, w) in run {
            self.classes.push(c);
            self.weights.push(w);
        }
    }
    /// Builds the table; with `scale` `None`, quantises the weights to 16 bits first.
    fn build(self, scale: Option<f32>) -> Weights {
        let scale = scale.unwrap_or_else(|| {
            let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
            if max > 0.0 {
                max / i16::MAX as f32
            } else {
                1.0
            }
        });
        let quantise = |w: f32| (w / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
        // Load factor between 1/3 and 2/3: probes stay within a cache line or two.
        let cap = (self.features.len() * 3 / 2).next_power_of_two().max(16);
        let n = self.n_classes;
        let stride = n.next_multiple_of(BLOCK);
        let mut w = Weights {
            n_classes: n,
            slots: vec![Slot::default(); cap],
            mask: cap - 1,
            entries: Vec::with_capacity(self.classes.len() + self.features.len()),
            dense: Vec::new(),
            stride,
            scale,
        };
        // Before the tables are written to, so their pages are faulted in large.
        advise_huge_pages(&w.slots);
        advise_huge_pages(&w.entries);
        for (key, start, len) in self.features {
            let run = start as usize..(start + len) as usize;
            let pairs = self.classes[run.clone()].iter().zip(&self.weights[run]);
            if len as usize * DENSE_SHARE >= n {
                let row = (w.dense.len() / stride) as u32;
                if row >= DENSE || !w.insert(key, row | DENSE) {
                    continue;
                }
                let at = w.dense.len();
                w.dense.resize(at + stride, 0);
                for (&class, &weight) in pairs {
                    w.dense[at + class as usize] = quantise(weight);
                }
            } else {
                let at = w.entries.len() as u32;
                if at >= DENSE || !w.insert(key, at) {
                    continue;
                }
                w.entries.push(Entry {
                    class: len as u16,
                    steps: 0,
                });
                for (&class, &weight) in pairs {
                    w.entries.push(Entry {
                        class,
                        steps: quantise(weight),
                    });
                }
            }
        }
        w
    }
}

impl Weights {
    /// A table with no features (every score zero).
    pub fn empty(n_classes: usize) -> Weights {
        Trainer::new(n_classes).finish(0.0)
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of features with weights.
    pub fn n_features(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).count()
    }

    /// The slot where the probe for `key` starts. Keys are folds of feature hashes, already
    /// well mixed, so their low bits serve as they are.
    #[inline]
    fn home(&self, key: u32) -> usize {
        key as usize & self.mask
    }

    /// Claims a slot for `key`; false when the key is taken (a folded-key collision: the first
    /// feature keeps the slot).
    fn insert(&mut self, key: u32, start: u32) -> bool {
        let mut i = self.home(key);
        while self.slots[i].key != 0 {
            if self.slots[i].key == key {
                return false;
            }
            i = (i + 1) & self.mask;
        }
        self.slots[i] = Slot { key, start };
        true
    }

    /// The weights of the feature in `slot`.
    #[inline]
    fn run(&self, slot: &Slot) -> Run<'_> {
        self.run_at(slot.start)
    }

    /// The weights starting at a slot's `start`.
    #[inline]
    fn run_at(&self, start: u32) -> Run<'_> {
        if start & DENSE != 0 {
            let at = (start & !DENSE) as usize * self.stride;
            Run::Dense(&self.dense[at..at + self.n_classes])
        } else {
            let s = start as usize;
            let len = self.entries[s].class as usize;
            Run::Sparse(&self.entries[s + 1..s + 1 + len])
        }
    }

    /// The feature's (class, weight in steps) pairs, zero weights left out.
    fn pairs(&self, slot: &Slot) -> Vec<(u16, i16)> {
        match self.run(slot) {
            Run::Sparse(run) => run.iter().map(|e| (e.class, e.steps)).collect(),
            Run::Dense(row) => (0..)
                .zip(row)
                .filter(|(_, &q)| q != 0)
                .map(|(c, &q)| (c, q))
                .collect(),
        }
    }

    #[inline]
    fn find(&self, f: u64) -> Option<&Slot> {
        let key = fold(f);
        let mut i = self.home(key);
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return Some(slot);
            }
            if slot.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds each feature's weights into `scores` (length `n_classes`).
    ///
    /// The weights are summed exactly, as integer steps ([`Weights::add_steps`]), and scaled
    /// once: the scores do not depend on the order of the features, so a sum can be built from
    /// parts (as the parser does, [`crate::parser`]) and come out the same.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        let mut on_stack = [0i32; STACK_CLASSES];
        let mut on_heap;
        let steps: &mut [i32] = if self.stride <= STACK_CLASSES {
            &mut on_stack[..self.stride]
        } else {
            on_heap = vec![0i32; self.stride];
            &mut on_heap
        };
        self.add_steps(feats, steps);
        self.add_scaled(steps, scores);
    }

    /// The length of a buffer of summed steps: one per class, rounded up to a whole block.
    pub fn steps_len(&self) -> usize {
        self.stride
    }

    /// Adds `steps` (summed by [`Weights::add_steps`]), scaled to weights, into `scores`.
    #[inline]
    pub fn add_scaled(&self, steps: &[i32], scores: &mut [f32]) {
        for (s, &q) in scores.iter_mut().zip(steps) {
            *s += q as f32 * self.scale;
        }
    }

    /// Adds each feature's weights, in quantisation steps, into `steps` (length
    /// [`Weights::steps_len`]). The sums are exact: 16-bit steps summed in 32 bits cannot
    /// overflow below 65,536 features.
    ///
    /// Scoring takes half of the pipeline's time. Where the CPU has AVX2 (x86-64 since 2013),
    /// the same code runs compiled for it, adding a dense row 8 or 16 weights at a time; the
    /// portable build may only use SSE2. Both give the same sums.
    #[inline]
    pub fn add_steps(&self, feats: &[u64], steps: &mut [i32]) {
        assert_eq!(steps.len(), self.stride);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has just been found to support AVX2.
            return unsafe { self.add_steps_avx2(feats, steps) };
        }
        self.add_steps_portable(feats, steps)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_steps_avx2(&self, feats: &[u64], steps: &mut [i32]) {
        self.add_steps_portable(feats, steps)
    }

    #[inline(always)]
    fn add_steps_portable(&self, feats: &[u64], steps: &mut [i32]) {
        // The table is larger than the caches, so the work goes in three passes and the memory
        // fetches of each overlap instead of waiting one after another: ask for every feature's
        // slot, then find the slots and ask for their weights, then add the weights.
        const CHUNK: usize = 128;
        let mut sparse = [0u32; CHUNK];
        let mut dense = [0u32; CHUNK];
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(self.slots.as_ptr().wrapping_add(self.home(fold(f))));
            }
            let (mut n_sparse, mut n_dense) = (0, 0);
            for &f in chunk {
                let Some(slot) = self.find(f) else { continue };
                if slot.start & DENSE != 0 {
                    let at = (slot.start & !DENSE) as usize * self.stride;
                    dense[n_dense] = at as u32;
                    n_dense += 1;
                    prefetch(self.dense.as_ptr().wrapping_add(at));
                } else {
                    sparse[n_sparse] = slot.start;
                    n_sparse += 1;
                    prefetch(self.entries.as_ptr().wrapping_add(slot.start as usize));
                }
            }
            for &start in &sparse[..n_sparse] {
                let s = start as usize;
                let len = self.entries[s].class as usize;
                for e in &self.entries[s + 1..s + 1 + len] {
                    steps[e.class as usize] += e.steps as i32;
                }
            }
            let rows = &dense[..n_dense];
            match self.stride {
                8 => self.add_rows::<8>(rows, steps),
                16 => self.add_rows::<16>(rows, steps),
                24 => self.add_rows::<24>(rows, steps),
                32 => self.add_rows::<32>(rows, steps),
                s if s % 16 == 0 => self.add_rows::<16>(rows, steps),
                _ => self.add_rows::<8>(rows, steps),
            }
        }
    }

    /// Adds the dense rows starting at `rows` into `steps`, `B` classes at a time: the block's
    /// sums stay in registers while the rows stream past.
    #[inline(always)]
    fn add_rows<const B: usize>(&self, rows: &[u32], steps: &mut [i32]) {
        for (b, block) in steps.chunks_exact_mut(B).enumerate() {
            let mut sum: [i32; B] = block.try_into().unwrap();
            for &at in rows {
                let at = at as usize + b * B;
                let row: &[i16; B] = self.dense[at..at + B].try_into().unwrap();
                for (s, &q) in sum.iter_mut().zip(row) {
                    *s += q as i32;
                }
            }
            block.copy_from_slice(&sum);
        }
    }

    /// Serialises the table (little-endian): n_classes, n_features, scale, then per feature its
    /// key and run length, then the runs as (class u16, quantised weight i16).
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut live: Vec<&Slot> = self.slots.iter().filter(|s| s.key != 0).collect();
        live.sort_unstable_by_key(|s| s.key);
        put_u32(out, self.n_classes as u32);
        put_u32(out, live.len() as u32);
        out.extend_from_slice(&self.scale.to_le_bytes());
        for s in &live {
            put_u32(out, s.key);
            out.extend_from_slice(&(self.pairs(s).len() as u16).to_le_bytes());
        }
        for s in &live {
            for (class, steps) in self.pairs(s) {
                out.extend_from_slice(&class.to_le_bytes());
                out.extend_from_slice(&steps.to_le_bytes());
            }
        }
    }

    pub fn read_from(r: &mut Reader<'_>) -> Result<Weights> {
        let n_classes = r.u32()? as usize;
        let n = r.u32()? as usize;
        let scale = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
        if !(scale.is_finite() && scale > 0.0) || n_classes > u16::MAX as usize + 1 {
            return Err(r.error("bad weight table header"));
        }
        let mut builder = WeightsBuilder::new(n_classes);
        let mut heads = Vec::with_capacity(n.min(r.remaining() / 6));
        for _ in 0..n {
            let key = r.u32()?;
            let len = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
            heads.push((key, len));
        }
        let mut run = Vec::new();
        for (key, len) in heads {
            run.clear();
            for _ in 0..len {
                let c = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
                let q = i16::from_le_bytes(r.take(2)?.try_into().unwrap());
                if c as usize >= n_classes {
                    return Err(r.error("class index out of range"));
                }
                run.push((c, q as f32 * scale));
            }
            builder.push(key, &run);
        }
        Ok(builder.build(Some(scale)))
    }
}

/// Asks Linux to back a large table with 2 MB pages. Every model looks its weights up at random
/// across tables of several megabytes; with 4 kB pages nearly each of those lookups also misses
/// the TLB. A hint only: where the kernel declines, or elsewhere than Linux, nothing changes.
fn advise_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = v.as_ptr() as usize;
        let end = start + v.capacity() * std::mem::size_of::<T>();
        let (lo, hi) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
        if hi > lo {
            // SAFETY: madvise changes only how the kernel backs these pages, which lie inside
            // the vector's own allocation; it never moves or frees them.
            unsafe { libc::madvise(lo as *mut libc::c_void, hi - lo, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Asks the CPU to start fetching the cache line at `p`.
#[inline]
fn prefetch<T>(p: *const T) {
    // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Index of the highest score among `allowed` classes (all when `allowed` is `None`); ties go to
/// the lower index so predictions are deterministic.
pub fn argmax(scores: &[f32], allowed: Option<&[bool]>) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if allowed.is_some_and(|a| !a[i]) {
            continue;
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

// ---------------------------------------------------------------------------------------------
// Model files

/// Every model file starts with these bytes.
pub const MAGIC: &[u8; 8] = b"KENNISM\x01";
/// Version of the container layout below.
pub const FORMAT_VERSION: u32 = 2;

/// A model file: a kind ("tagger", "parser", …), the version of that kind's feature set (a
/// model trained with other features must not load), and named binary sections.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelFile {
    pub kind: String,
    pub feature_version: u32,
    pub sections: Vec<(String, Vec<u8>)>,
}

impl ModelFile {
    pub fn new(kind: &str, feature_version: u32) -> ModelFile {
        ModelFile {
            kind: kind.to_string(),
            feature_version,
            sections: Vec::new(),
        }
    }

    pub fn add(&mut self, name: &str, bytes: Vec<u8>) {
        self.sections.push((name.to_string(), bytes));
    }

    pub fn add_weights(&mut self, name: &str, w: &Weights) {
        let mut bytes = Vec::new();
        w.write_to(&mut bytes);
        self.add(name, bytes);
    }

    pub fn add_json<T: serde::Serialize>(&mut self, name: &str, value: &T) {
        self.add(
            name,
            serde_json::to_vec(value).expect("serialisable model data"),
        );
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT_VERSION);
        put_str(&mut out, &self.kind);
        put_u32(&mut out, self.feature_version);
        put_u32(&mut out, self.sections.len() as u32);
        for (name, bytes) in &self.sections {
            put_str(&mut out, name);
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out
    }

    /// Parses a model file and checks it is of `kind` with `feature_version`.
    pub fn from_bytes(bytes: &[u8], kind: &str, feature_version: u32) -> Result<ModelFile> {
        let mut r = Reader::new(bytes, kind);
        if r.take(8).ok() != Some(&MAGIC[..]) {
            return Err(Error::model(
                kind,
                "not a kennis model file (bad magic number)",
            ));
        }
        let format = r.u32()?;
        if format != FORMAT_VERSION {
            return Err(Error::model(
                kind,
                format!("model file format {format}, this kennis reads format {FORMAT_VERSION}"),
            ));
        }
        let found_kind = r.str()?;
        if found_kind != kind {
            return Err(Error::model(
                kind,
                format!("file holds a {found_kind} model"),
            ));
        }
        let fv = r.u32()?;
        if fv != feature_version {
            return Err(Error::model(
                kind,
                format!("trained with feature set {fv}, this kennis uses feature set {feature_version} (stale model)"),
            ));
        }
        let n = r.u32()? as usize;
        let mut file = ModelFile::new(kind, feature_version);
        for _ in 0..n {
            let name = r.str()?;
            let len = r.u64()? as usize;
            file.add(&name, r.take(len)?.to_vec());
        }
        Ok(file)
    }

    pub fn section(&self, name: &str) -> Result<&[u8]> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
            .ok_or_else(|| Error::model(&self.kind, format!("missing section {name:?}")))
    }

    pub fn weights(&self, name: &str) -> Result<Weights> {
        let bytes = self.section(name)?;
        Weights::read_from(&mut Reader::new(bytes, &self.kind))
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T> {
        serde_json::from_slice(self.section(name)?)
            .map_err(|e| Error::model(&self.kind, format!("section {name:?}: {e}")))
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// A bounds-checked little-endian reader over model bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'a str) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            what,
        }
    }
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }
    fn error(&self, msg: &str) -> Error {
        Error::model(
            self.what,
            format!("corrupt model file at byte {}: {msg}", self.pos),
        )
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.remaining() < n {
            return Err(self.error("truncated"));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    pub fn str(&mut self) -> Result<String> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.error("invalid UTF-8 in a name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Learns a linearly separable toy problem: class = which of three features fires.
    #[test]
    fn learns_separable_problem_and_round_trips() {
        let mut t = Trainer::new(3);
        let data: Vec<(Vec<u64>, usize)> = (0..30)
            .map(|i| {
                (
                    vec![hash_str("bias"), hash_str(&format!("f{}", i % 3))],
                    i % 3,
                )
            })
            .collect();
        let mut scores = [0f32; 3];
        for _ in 0..5 {
            for (f, y) in &data {
                t.tick();
                scores.fill(0.0);
                t.score(f, &mut scores);
                let guess = argmax(&scores, None).unwrap();
                t.update(f, *y, guess);
            }
        }
        let w = t.finish(0.0);
        for (f, y) in &data {
            scores.fill(0.0);
            w.score(f, &mut scores);
            assert_eq!(argmax(&scores, None), Some(*y));
        }
        let mut file = ModelFile::new("toy", 7);
        file.add_weights("w", &w);
        let bytes = file.to_bytes();
        let back = ModelFile::from_bytes(&bytes, "toy", 7).unwrap();
        let w2 = back.weights("w").unwrap();
        assert_eq!(w2.n_features(), w.n_features());
        for (f, _) in &data {
            let (mut a, mut b) = ([0f32; 3], [0f32; 3]);
            w.score(f, &mut a);
            w2.score(f, &mut b);
            assert_eq!(a, b);
        }
    }

    /// Features stored dense (weights for many classes) and sparse (for few) score exactly as
    /// the plain sum of their weights, across more features than one scoring chunk, and the same
    /// after a save and load.
    #[test]
    fn dense_and_sparse_features_score_as_the_plain_sum() {
        let n = 40;
        let mut b = WeightsBuilder::new(n);
        let mut expected: HashMap<u32, Vec<(u16, f32)>> = HashMap::new();
        let mut rng = Rng::new(3);
        for key in 1..=300u32 {
            // Every third feature has weights for most classes.
            let len = if key % 3 == 0 { 30 } else { 1 + rng.below(3) };
            let mut classes: Vec<u16> = (0..n as u16).collect();
            rng.shuffle(&mut classes);
            let mut run: Vec<(u16, f32)> = classes[..len]
                .iter()
                .map(|&c| (c, (rng.below(2001) as f32 - 1000.0) / 8.0))
                .collect();
            run.sort_unstable_by_key(|&(c, _)| c);
            b.push(key, &run);
            expected.insert(key, run);
        }
        let w = b.build(None);
        assert!(!w.dense.is_empty() && !w.entries.is_empty());
        // Scoring looks features up by 64-bit hash; these fold to the keys above.
        let feats: Vec<u64> = (1..=300u64).rev().collect();
        let mut naive_steps = vec![0i32; n];
        for &f in &feats {
            for &(c, x) in &expected[&(f as u32)] {
                naive_steps[c as usize] += (x / w.scale).round() as i32;
            }
        }
        let naive: Vec<f32> = naive_steps.iter().map(|&q| q as f32 * w.scale).collect();
        let mut got = vec![0f32; n];
        w.score(&feats, &mut got);
        assert_eq!(got, naive);
        // The build for the CPU at hand and the portable one give the same sums, in any order.
        let mut portable = vec![0i32; w.steps_len()];
        let (first, second) = feats.split_at(100);
        w.add_steps_portable(second, &mut portable);
        w.add_steps_portable(first, &mut portable);
        assert_eq!(&portable[..n], &naive_steps[..]);
        assert!(portable[n..].iter().all(|&q| q == 0));
        let mut bytes = Vec::new();
        w.write_to(&mut bytes);
        let mut file = ModelFile::new("toy", 1);
        file.add("w", bytes);
        let back = ModelFile::from_bytes(&file.to_bytes(), "toy", 1).unwrap();
        let mut again = vec![0f32; n];
        back.weights("w").unwrap().score(&feats, &mut again);
        assert_eq!(again, naive);
    }

    #[test]
    fn stale_or_corrupt_models_fail_clearly() {
        let bytes = ModelFile::new("tagger", 1).to_bytes();
        let err = ModelFile::from_bytes(&bytes, "tagger", 2)
            .unwrap_err()
            .to_string();
        assert!(err.contains("stale"), "{err}");
        let err = ModelFile::from_bytes(&bytes, "parser", 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("tagger model"), "{err}");
        let err = ModelFile::from_bytes(b"garbage!", "tagger", 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("magic"), "{err}");
        let err = ModelFile::from_bytes(&bytes[..bytes.len() - 2], "tagger", 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn argmax_is_deterministic_on_ties_and_respects_mask() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0], None), Some(1));
        assert_eq!(
            argmax(&[1.0, 3.0, 3.0], Some(&[true, false, true])),
            Some(2)
        );
        assert_eq!(argmax(&[1.0], Some(&[false])), None);
    }
}
