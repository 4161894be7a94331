//! Keys for the lines of a scrolled window, such as the ladder's. A line that stays in view
//! keeps its key, so its element stays the one it was (and keeps the focus); a line coming
//! into view takes the key of one that went out of it, so Yew rewrites that element in place
//! instead of removing one element and building another. A jump to another part of a long run
//! then patches every element where it stands rather than rebuilding the list.

/// The lines drawn last time, in order, each with its key.
pub struct WindowKeys<T> {
    drawn: Vec<(T, u32)>,
}

impl<T> Default for WindowKeys<T> {
    fn default() -> Self {
        WindowKeys { drawn: Vec::new() }
    }
}

impl<T: Copy + PartialEq> WindowKeys<T> {
    /// Keys for `window`, the lines to draw now, in order. The window is a screenful of
    /// lines, so looking each one up in the last one is cheap.
    pub fn assign(&mut self, window: &[T]) -> Vec<u32> {
        let kept: Vec<Option<u32>> = window
            .iter()
            .map(|line| self.drawn.iter().find(|(l, _)| l == line).map(|&(_, k)| k))
            .collect();
        // The keys of the lines that left, in the order they were drawn: handed out in that
        // order, a jump keeps every key in the same order and Yew moves no element.
        let mut freed = self
            .drawn
            .iter()
            .filter(|(line, _)| !window.contains(line))
            .map(|&(_, key)| key);
        let mut keys: Vec<u32> = Vec::with_capacity(window.len());
        for k in &kept {
            let key = k.or_else(|| freed.next()).unwrap_or_else(|| {
                // The window grew: the smallest key no line holds.
                (0..)
                    .find(|n| !kept.contains(&Some(*n)) && !keys.contains(n))
                    .unwrap_or(u32::MAX)
            });
            keys.push(key);
        }
        self.drawn = window.iter().copied().zip(keys.iter().copied()).collect();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::WindowKeys;

    #[test]
    fn a_line_in_view_keeps_its_key_and_one_coming_in_takes_a_freed_key() {
        let mut k = WindowKeys::default();
        assert_eq!(k.assign(&[10, 11, 12, 13]), [0, 1, 2, 3]);
        // One line down: 10 left, 14 takes its key; the others keep theirs.
        assert_eq!(k.assign(&[11, 12, 13, 14]), [1, 2, 3, 0]);
        // A jump: every key handed out again, in the order they were drawn.
        assert_eq!(k.assign(&[500, 501, 502, 503]), [1, 2, 3, 0]);
        // A taller window: the smallest keys no line holds; no key is held twice.
        assert_eq!(k.assign(&[501, 502, 503, 504, 505]), [2, 3, 0, 1, 4]);
        // A shorter one, then empty.
        assert_eq!(k.assign(&[503]), [0]);
        assert_eq!(k.assign(&[]), Vec::<u32>::new());
        assert_eq!(k.assign(&[7, 8]), [0, 1]);
    }
}
