using System.Globalization;
using System.Runtime.CompilerServices;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Finds the words of a text: maximal runs of UTF-16 characters whose Unicode category is a letter (L*), a mark (M*)
/// or a number (N*), exactly the matches of the regular expression <c>[\p{L}\p{M}\p{N}]+</c> (which .NET evaluates
/// one UTF-16 character at a time, so the halves of a surrogate pair, category Surrogate, always end a word).
/// A character's class is one bit of an 8 KB table (one bit per UTF-16 code unit) built once from
/// <see cref="CharUnicodeInfo.GetUnicodeCategory(char)"/>: a plain loop over it scanned the SpamAssassin mails faster
/// than the regex and than vectorized ASCII searches (most words there are a few characters long).
/// </summary>
internal static class WordScanner
{
    private static readonly uint[] WordBits = CreateWordBits();

    private static uint[] CreateWordBits()
    {
        var bits = new uint[(char.MaxValue + 1) / 32];
        for (int c = 0; c <= char.MaxValue; c++)
        {
            // L* (5 categories), M* (3) and N* (3) are the first eleven values of UnicodeCategory
            if (CharUnicodeInfo.GetUnicodeCategory((char)c) <= UnicodeCategory.OtherNumber)
                bits[c >> 5] |= 1u << (c & 31);
        }
        return bits;
    }

    /// <summary>Whether <paramref name="c"/> belongs in a word: a letter, a combining mark or a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordCharacter(char c) => (WordBits[c >> 5] & (1u << c)) != 0; // the shift count is taken mod 32

    /// <summary>
    /// Finds the next word at or after <paramref name="position"/>, which it then moves past the word; false when
    /// the text holds no further word. Start at position 0 and call until false to get every word in text order.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<char> text, ref int position, out int start, out int length)
    {
        var bits = WordBits;
        int i = position;
        while (i < text.Length && (bits[text[i] >> 5] & (1u << text[i])) == 0)
            i++;
        start = i;
        while (i < text.Length && (bits[text[i] >> 5] & (1u << text[i])) != 0)
            i++;
        length = i - start;
        position = i;
        return length > 0;
    }
}
