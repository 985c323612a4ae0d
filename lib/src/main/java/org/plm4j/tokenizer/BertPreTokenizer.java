package org.plm4j.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pure-Java equivalent of Hugging Face's {@code BertNormalizer} followed by
 * {@code BertPreTokenizer}: the "basic tokenisation" of BERT. Used by the trainer and by the
 * reference encoder so that both see exactly the words the native tokenizer sees.
 *
 * <p>Normalisation, in Hugging Face's order: remove NUL, U+FFFD and control/format characters
 * (tab, newline and carriage return excepted) and map whitespace to a space; surround CJK
 * ideographs with spaces; if {@code stripAccents}, NFD-decompose and drop non-spacing marks;
 * if {@code lowercase}, lower-case each code point. Pre-tokenisation: split at Unicode
 * whitespace (removed) and isolate every punctuation character (ASCII punctuation or a Unicode
 * {@code P*} category). Immutable and thread-safe.
 */
final class BertPreTokenizer {

    private final boolean lowercase;
    private final boolean stripAccents;

    public BertPreTokenizer(boolean lowercase, boolean stripAccents) {
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
    }

    /** The normalised text (BertNormalizer with clean_text and handle_chinese_chars on). */
    public String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
            }
            if (isWhitespace(c)) {
                sb.append(' ');
            } else if (isChinese(c)) {
                sb.append(' ').appendCodePoint(c).append(' ');
            } else {
                sb.appendCodePoint(c);
            }
        });
        String s = sb.toString();
        if (stripAccents) {
            String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder out = new StringBuilder(nfd.length());
            nfd.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                    .forEach(out::appendCodePoint);
            s = out.toString();
        }
        if (lowercase) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().forEach(c -> {
                if (c < 128) {
                    out.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
                } else {
                    out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
                }
            });
            s = out.toString();
        }
        return s;
    }

    /** Words of the normalised text: whitespace-split, punctuation isolated. */
    public List<String> words(String text) {
        return split(normalize(text), new ArrayList<>());
    }

    /** Splits an already normalised text into {@code out} and returns it. */
    static List<String> split(String s, List<String> out) {
        int start = -1;
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (isPunctuation(c)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
                out.add(s.substring(i, i + n));
            } else if (start < 0) {
                start = i;
            }
            i += n;
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                || t == Character.SURROGATE || t == Character.UNASSIGNED;
    }

    static boolean isPunctuation(int c) {
        if (c < 128) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
