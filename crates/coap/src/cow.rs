//! An append-mostly vector whose clones share their full chunks: a checkpoint of a world with
//! a 20,000-datagram trace (or a messenger's list of the message ids it has seen) costs a few
//! hundred pointers, not a copy of every element.

use std::ops::Index;
use std::sync::Arc;

/// Elements per chunk. A push to a shared chunk copies it (the page keeps the world before
/// each step, so every step copies one): small chunks make that copy small, at the cost of
/// more pointers per clone.
const CHUNK: usize = 64;

/// Every element in order.
pub type Iter<'a, T> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<T>>>,
    std::slice::Iter<'a, T>,
    fn(&'a Arc<Vec<T>>) -> std::slice::Iter<'a, T>,
>;

#[derive(Clone, Debug)]
pub struct CowVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for CowVec<T> {
    fn default() -> Self {
        CowVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> CowVec<T> {
    pub fn new() -> CowVec<T> {
        CowVec::default()
    }

    pub fn push(&mut self, value: T) {
        if self.len % CHUNK == 0 {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        if let Some(last) = self.chunks.last_mut() {
            // Copies the chunk only when a clone still shares it.
            Arc::make_mut(last).push(value);
            self.len += 1;
        }
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        Arc::make_mut(&mut self.chunks[i / CHUNK]).get_mut(i % CHUNK)
    }

    /// Keeps the first `len` elements.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.chunks.truncate(len.div_ceil(CHUNK));
        let keep = len - self.chunks.len().saturating_sub(1) * CHUNK;
        if let Some(last) = self.chunks.last_mut() {
            if last.len() > keep {
                Arc::make_mut(last).truncate(keep);
            }
        }
        self.len = len;
    }
}

impl<T> CowVec<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK).and_then(|c| c.get(i % CHUNK))
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }

    pub fn iter(&self) -> Iter<'_, T> {
        fn chunk<T>(c: &Arc<Vec<T>>) -> std::slice::Iter<'_, T> {
            c.iter()
        }
        let f: fn(&Arc<Vec<T>>) -> std::slice::Iter<'_, T> = chunk;
        self.chunks.iter().flat_map(f)
    }

    /// Chunks shared with `other` (a clone taken earlier), counted for memory figures.
    pub fn shared_chunks(&self, other: &CowVec<T>) -> usize {
        self.chunks
            .iter()
            .zip(&other.chunks)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count()
    }
}

impl<'a, T> IntoIterator for &'a CowVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> Index<usize> for CowVec<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_chunks_until_written() {
        let mut a = CowVec::new();
        for i in 0..1000 {
            a.push(i);
        }
        let mut b = a.clone();
        let chunks = 1000usize.div_ceil(CHUNK);
        assert_eq!(b.shared_chunks(&a), chunks);
        b.push(1000);
        *b.get_mut(3).unwrap() = -3;
        assert_eq!(
            b.shared_chunks(&a),
            chunks - 2,
            "the first and last chunks were copied"
        );
        assert_eq!((a[3], b[3], a.len(), b.len()), (3, -3, 1000, 1001));
        assert_eq!(b.iter().next_back(), Some(&1000));
        b.truncate(300);
        assert_eq!((b.len(), b.last(), b.get(300)), (300, Some(&299), None));
    }
}
