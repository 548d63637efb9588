/**
 * The quick order screen's stylesheet: big tap targets in a grid, the menu and the order side by side
 * from a tablet up, one column on a phone.
 */
export const TAKE_ORDER_CSS = `.so-default{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.so-columns{display:grid;gap:1rem}
@media (min-width:48rem){.so-columns{grid-template-columns:3fr 2fr;align-items:start}.so-ticket{position:sticky;top:.5rem}}
.so-search{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}.so-search label{flex:1 1 100%;font-weight:600}.so-search input{flex:1 1 10rem}.so-search button{margin:0}
.so-category h3{font-size:1rem;margin:1rem 0 .4rem}
.so-tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.5rem}
.so-tile{display:flex;flex-direction:column;justify-content:space-between;min-height:4.5rem;margin:0;padding:.6rem;background:#fff;color:#1d1d1f;border:2px solid #1a5;text-align:left}
.so-tile:disabled{border-color:#ccc;color:#888;cursor:not-allowed}.so-tile .so-price{font-weight:400;color:#555}
.so-lines{list-style:none;padding:0;margin:0 0 .5rem}.so-lines li{padding:.4rem 0;border-bottom:1px solid #eee}
.so-lines li.invalid{border-left:.3rem solid #c0392b;padding-left:.4rem}.so-lines small,.so-lines em{display:block}
.so-remove{min-height:2.25rem;padding:.35rem .7rem}.so-total{font-size:1.3rem}
.so-pay button{display:block;width:100%;min-height:3.25rem;margin:.4rem 0}
.so-group{margin:0 0 1rem}.so-options{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.3rem .6rem}
.so-option{min-height:2.75rem;padding:.3rem .5rem;border:1px solid #ddd;border-radius:.4rem;background:#fff}
.so-option input{width:1.4rem;height:1.4rem}
`;

/** Progressive enhancement only: typing in the search box hides the items that do not match, at once. */
export const TAKE_ORDER_JS = `'use strict';
(function () {
  var box = document.getElementById('q');
  if (!box) return;
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    Array.prototype.forEach.call(document.querySelectorAll('.so-category'), function (section) {
      var any = false;
      Array.prototype.forEach.call(section.querySelectorAll('.so-tile'), function (tile) {
        var name = tile.getAttribute('data-name') || '';
        var match = words.every(function (w) { return name.indexOf(w) !== -1; });
        tile.hidden = !match;
        if (match) any = true;
      });
      section.hidden = !any;
    });
  });
})();
`;
