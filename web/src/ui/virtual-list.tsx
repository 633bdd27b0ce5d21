import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';

/**
 * Renders only the rows in view (plus a few either side) of a long list of fixed-height rows,
 * so a timeline of thousands of entries costs a screenful of DOM. Sticks to the end while the
 * reader is at the end, so new entries scroll in; a reader who scrolled up stays put.
 */
export function VirtualList<T>(props: {
  items: T[];
  rowHeight: number;
  height: number;
  label: string;
  row: (item: T, index: number) => ReactNode;
  keyOf: (item: T) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const atEnd = useRef(true);
  const { items, rowHeight, height } = props;
  const total = items.length * rowHeight;

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) {
      el.scrollTop = Math.max(0, total - height);
      setTop(el.scrollTop);
    }
  }, [total, height]);

  const overscan = 6;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i]!;
    rows.push(
      <li
        key={props.keyOf(item)}
        aria-posinset={i + 1}
        aria-setsize={items.length}
        className="vrow"
        style={{ top: i * rowHeight, height: rowHeight }}
      >
        {props.row(item, i)}
      </li>,
    );
  }
  return (
    <div
      ref={box}
      className="vlist"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll region must be focusable to scroll by keyboard
      tabIndex={0}
      style={{ height }}
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight / 2;
        setTop(el.scrollTop);
      }}
    >
      <ul
        aria-label={props.label}
        style={{ height: total, position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}
      >
        {rows}
      </ul>
    </div>
  );
}
