//! Randomness: the seeded sequential generator each table draws from, and
//! the stateless hash that names every row's UUID from (table, index).
//!
//! UUIDs come from a hash rather than a stored list so that any table can
//! refer to task 1_234_567 without keeping 1.5 million ids per GB in memory.

/// The splitmix64 finaliser: a bijection on u64 with good avalanche.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// xoshiro256++, seeded through splitmix64 as its authors recommend.
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(GOLDEN);
            mix64(x)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is far below
    /// anything a benchmark could notice). `n` must be > 0.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent` / 100.
    #[inline]
    pub fn pct(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    #[inline]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Row identities: a per-(seed, table) key hashed with the row index.
#[derive(Clone, Copy)]
pub struct Ids {
    seed: u64,
}

impl Ids {
    pub fn new(seed: u64) -> Ids {
        Ids {
            seed: mix64(seed ^ 0x6a09_e667_f3bc_c908),
        }
    }

    /// A stateless 64-bit hash of (stream, index): for choices that other
    /// tables must be able to recompute, like a task's project.
    #[inline]
    pub fn hash(&self, stream: u64, index: u64) -> u64 {
        let key = mix64(self.seed ^ stream.wrapping_mul(GOLDEN));
        mix64(key.wrapping_add(index.wrapping_mul(GOLDEN)))
    }

    /// The UUID of row `index` of `table`, shaped as version 4 variant 1.
    /// Before the 6 fixed bits are set both halves are bijections of the
    /// index, so two rows of one table collide only as often as two random
    /// 122-bit values would.
    #[inline]
    pub fn uuid(&self, table: u64, index: u64) -> u128 {
        let hi = self.hash(table, index);
        let lo = mix64(hi ^ self.seed.rotate_left(29) ^ 0xd1b5_4a32_d192_ed03);
        let hi = (hi & !0xf000) | 0x4000;
        let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
        (u128::from(hi) << 64) | u128::from(lo)
    }
}
