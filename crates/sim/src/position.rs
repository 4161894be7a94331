//! Where a student is in a run: how many datagrams the ladder shows, and how many of the
//! device's moments (resets, boot steps, an image failing) in all. Stepping goes one datagram
//! or one moment at a time, in the order they happened; the moments between two datagrams come
//! after the first of them. `Timeline::seek_position` goes to a position.

use crate::cow::CowVec;
use crate::moments::Moment;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Datagrams on the ladder.
    pub rows: usize,
    /// Moments shown, over the whole run: all those before the last row shown, and some of
    /// those after it.
    pub moments: usize,
}

/// The moments before `rows` datagrams were on the ladder.
fn before_row(moments: &CowVec<Moment>, rows: usize) -> usize {
    // Moments come in the order they happened, so their `rows` never go down.
    let (mut lo, mut hi) = (0, moments.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if moments.get(mid).is_some_and(|m| m.rows < rows) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Position {
    /// The first moment `rows` datagrams are on the ladder: every moment before the last of
    /// them shown, none after it.
    pub fn at_rows(rows: usize, moments: &CowVec<Moment>) -> Position {
        Position {
            rows,
            moments: before_row(moments, rows),
        }
    }

    /// The end of a run of `total_rows` datagrams with these `moments`.
    pub fn end(total_rows: usize, moments: &CowVec<Moment>) -> Position {
        Position {
            rows: total_rows,
            moments: moments.len(),
        }
    }

    /// Moments shown after the last row shown.
    pub fn after_last_row(self, moments: &CowVec<Moment>) -> usize {
        self.moments.saturating_sub(before_row(moments, self.rows))
    }

    /// The latest moment shown, when it comes after the last row shown.
    pub fn moment(self, moments: &CowVec<Moment>) -> Option<&Moment> {
        let m = moments.get(self.moments.checked_sub(1)?)?;
        (m.rows == self.rows).then_some(m)
    }

    /// One step forward in a run of `total_rows` datagrams: the next moment when one comes
    /// before the next datagram, else the next datagram. None at the end.
    pub fn next(self, total_rows: usize, moments: &CowVec<Moment>) -> Option<Position> {
        if moments
            .get(self.moments)
            .is_some_and(|m| m.rows == self.rows)
        {
            return Some(Position {
                moments: self.moments + 1,
                ..self
            });
        }
        (self.rows < total_rows).then_some(Position {
            rows: self.rows + 1,
            ..self
        })
    }

    /// One step back: the moment before the latest one shown after the last row, or the
    /// row before with every moment after it. None at the start.
    pub fn back(self, moments: &CowVec<Moment>) -> Option<Position> {
        if self.moment(moments).is_some() {
            return Some(Position {
                moments: self.moments - 1,
                ..self
            });
        }
        let rows = self.rows.checked_sub(1)?;
        Some(Position {
            rows,
            moments: before_row(moments, rows + 1),
        })
    }
}
