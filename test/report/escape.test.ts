import { expect } from 'chai';
import { escapeXml } from '../../src/report/escape.js';
import { escapeMarkdown } from '../../src/report/markdown-escape.js';
import { assertWellFormed } from './xml-check.js';

describe('escapeXml()', () => {
  it('should escape the five XML special characters', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).to.equal('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('should not double-escape when applied to plain text containing entities', () => {
    expect(escapeXml('&amp;')).to.equal('&amp;amp;');
  });

  it('should replace characters XML 1.0 forbids so the document stays well-formed', () => {
    expect(escapeXml('nft\u0000error\u001b[31m')).to.equal('nft\uFFFDerror\uFFFD[31m');
    expect(escapeXml('tab\tline\nret\r')).to.equal('tab\tline\nret\r');
  });

  it('should make any text safe inside an element and an attribute', () => {
    const nasty = `</failure><script>alert("x")</script> & ' " <![CDATA[`;
    expect(() => assertWellFormed(`<a title="${escapeXml(nasty)}">${escapeXml(nasty)}</a>`)).not.to.throw();
  });
});

describe('assertWellFormed() (test helper)', () => {
  it('should reject unescaped markup, so the XML/HTML tests can fail', () => {
    expect(() => assertWellFormed('<a>x < y</a>')).to.throw(/unescaped/);
    expect(() => assertWellFormed('<a>x & y</a>')).to.throw(/unescaped/);
    expect(() => assertWellFormed('<a><b></a></b>')).to.throw(/closes/);
    expect(() => assertWellFormed('<a title="x">ok &amp; fine</a>')).not.to.throw();
  });
});

describe('escapeMarkdown()', () => {
  it('should neutralise table pipes, emphasis, code, links and HTML', () => {
    expect(escapeMarkdown('a|b *c* _d_ `e` [f](g) <h> #i')).to.equal('a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; \\#i');
  });

  it('should keep text on one line', () => {
    expect(escapeMarkdown('one\ntwo\r\nthree')).to.equal('one two three');
  });
});
