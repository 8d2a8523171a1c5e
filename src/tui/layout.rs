//! Where each pane goes, shared by rendering and by key handling (paging needs to know
//! how many rows the list shows).

use ratatui::layout::Rect;

/// The console's regions for one terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub status: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

/// Widths from which the detail pane sits beside the list rather than under it.
const SIDE_BY_SIDE_WIDTH: u16 = 140;

impl Areas {
    /// Splits `area`: status bar on top, footer at the bottom, the alert list and the
    /// detail pane between (side by side on wide terminals, stacked on narrow ones).
    pub fn new(area: Rect) -> Areas {
        let status = Rect {
            height: area.height.min(1),
            ..area
        };
        let footer_h = u16::from(area.height >= 2);
        let footer = Rect {
            y: area.y + area.height.saturating_sub(footer_h),
            height: footer_h,
            ..area
        };
        let main = Rect {
            y: area.y + status.height,
            height: area.height.saturating_sub(status.height + footer_h),
            ..area
        };
        let (list, detail) = if area.width >= SIDE_BY_SIDE_WIDTH {
            let list_w = main.width * 3 / 5;
            (
                Rect {
                    width: list_w,
                    ..main
                },
                Rect {
                    x: main.x + list_w,
                    width: main.width - list_w,
                    ..main
                },
            )
        } else {
            let detail_h = if main.height < 12 {
                0
            } else {
                (main.height * 2 / 5).clamp(6, 16)
            };
            (
                Rect {
                    height: main.height - detail_h,
                    ..main
                },
                Rect {
                    y: main.y + main.height - detail_h,
                    height: detail_h,
                    ..main
                },
            )
        };
        Areas {
            status,
            list,
            detail,
            footer,
        }
    }

    /// Rows of alerts the list shows inside its border.
    pub fn list_rows(&self) -> u16 {
        self.list.height.saturating_sub(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_terminals_stack_the_panes() {
        let a = Areas::new(Rect::new(0, 0, 80, 24));
        assert_eq!((a.status.height, a.footer.y), (1, 23));
        assert_eq!(a.list.width, 80);
        assert_eq!(a.list.height + a.detail.height, 22);
        assert!(a.list_rows() >= 10);
    }

    #[test]
    fn wide_terminals_put_detail_beside_the_list() {
        let a = Areas::new(Rect::new(0, 0, 160, 48));
        assert_eq!(a.list.height, a.detail.height);
        assert_eq!(a.list.width + a.detail.width, 160);
    }

    #[test]
    fn tiny_terminals_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (20, 8)] {
            let a = Areas::new(Rect::new(0, 0, w, h));
            assert!(a.list.height <= h);
        }
    }
}
