//! The byte budget: sections of one-line items that lose whole items, lowest priority first.

/// A list of one-line items that can lose items from the end.
pub(super) struct Section {
    /// Lower is dropped first.
    pub(super) priority: u8,
    pub(super) head: String,
    pub(super) items: Vec<String>,
    pub(super) tail: String,
    /// Kept items (set by the budget).
    pub(super) keep: usize,
    /// What an omitted item is, for "… N more <noun>".
    pub(super) noun: &'static str,
}

impl Section {
    pub(super) fn new(
        priority: u8,
        head: String,
        items: Vec<String>,
        tail: &str,
        noun: &'static str,
    ) -> Self {
        Section::capped(priority, head, items, tail, noun, usize::MAX)
    }
    /// A section that shows at most `cap` items whatever the budget.
    pub(super) fn capped(
        priority: u8,
        head: String,
        items: Vec<String>,
        tail: &str,
        noun: &'static str,
        cap: usize,
    ) -> Self {
        let keep = items.len().min(cap);
        Section {
            priority,
            head,
            items,
            tail: tail.to_string(),
            keep,
            noun,
        }
    }
    pub(super) fn more_line(&self, omitted: usize, full_report: &str) -> String {
        format!(
            "- … {omitted} more {} not shown here (see {full_report})\n",
            self.noun
        )
    }
    pub(super) fn size(&self, keep: usize, prefix: &[usize], full_report: &str) -> usize {
        let omitted = self.items.len() - keep;
        self.head.len()
            + prefix[keep]
            + if omitted > 0 {
                self.more_line(omitted, full_report).len()
            } else {
                0
            }
            + self.tail.len()
    }
    pub(super) fn write(&self, out: &mut String, full_report: &str) {
        out.push_str(&self.head);
        for item in &self.items[..self.keep] {
            out.push_str(item);
        }
        let omitted = self.items.len() - self.keep;
        if omitted > 0 {
            out.push_str(&self.more_line(omitted, full_report));
        }
        out.push_str(&self.tail);
    }
}

/// Room kept for the truncation notice.
pub(super) const TRUNCATION_RESERVE: usize = 300;

/// Drops items lowest priority first until the sections fit; returns how many were dropped, or
/// `None` when they cannot fit even empty.
pub(super) fn apply_budget(
    sections: &mut [Section],
    budget: usize,
    full_report: &str,
) -> Option<usize> {
    let prefixes: Vec<Vec<usize>> = sections
        .iter()
        .map(|s| {
            let mut p = Vec::with_capacity(s.items.len() + 1);
            p.push(0);
            for item in &s.items {
                p.push(p.last().copied().unwrap_or(0) + item.len());
            }
            p
        })
        .collect();
    let total = |sections: &[Section]| -> usize {
        sections
            .iter()
            .zip(&prefixes)
            .map(|(s, p)| s.size(s.keep, p, full_report))
            .sum()
    };
    if total(sections) <= budget {
        return Some(0);
    }
    let mut order: Vec<usize> = (0..sections.len()).collect();
    order.sort_by_key(|&i| (sections[i].priority, std::cmp::Reverse(i)));
    for i in order {
        let others =
            total(sections) - sections[i].size(sections[i].keep, &prefixes[i], full_report);
        let room = budget.saturating_sub(others);
        // The largest `keep` that fits.
        let mut keep = sections[i].keep;
        while keep > 0 && sections[i].size(keep, &prefixes[i], full_report) > room {
            keep -= 1;
        }
        sections[i].keep = keep;
        if total(sections) <= budget {
            return Some(sections.iter().map(|s| s.items.len() - s.keep).sum());
        }
    }
    None
}
