import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineMap } from './line-map';

describe('LineMap', () => {
  it('maps offsets and positions both ways across LF, CRLF and CR', () => {
    const text = 'ab\r\ncd\ne\rf';
    const map = new LineMap(text);
    assert.equal(map.lineCount, 4);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = map.positionAt(offset);
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // between CR and LF is not a real position
      assert.equal(map.offsetAt(position), offset, `offset ${offset}`);
    }
    assert.deepEqual(map.positionAt(text.indexOf('c')), { line: 1, character: 0 });
    assert.deepEqual(map.positionAt(text.indexOf('f')), { line: 3, character: 0 });
    assert.equal(map.lineText(0), 'ab');
  });

  it('clamps positions outside the text', () => {
    const map = new LineMap('one\ntwo');
    assert.equal(map.offsetAt({ line: 9, character: 0 }), 7);
    assert.equal(map.offsetAt({ line: 0, character: 99 }), 4);
    assert.deepEqual(map.positionAt(-5), { line: 0, character: 0 });
  });
});
