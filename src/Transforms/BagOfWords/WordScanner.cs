using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Finds the words of a text: maximal runs of UTF-16 characters whose Unicode category is a letter (L*), a mark (M*)
/// or a number (N*), exactly the matches of the regular expression <c>[\p{L}\p{M}\p{N}]+</c> (which .NET evaluates
/// one UTF-16 character at a time, so the halves of a surrogate pair, category Surrogate, always end a word).
/// Each code unit has two bits in a 16 KB table built once from <see cref="CharUnicodeInfo.GetUnicodeCategory(char)"/>
/// and <see cref="char.ToLowerInvariant(char)"/>: whether it belongs in a word, and whether invariant lower-casing
/// changes it. A plain loop over the table scanned the SpamAssassin mails faster than the regex and than vectorized
/// ASCII searches (most words there are a few characters long).
/// </summary>
/// <remarks>
/// Lower-casing never moves a character into or out of the word class (a test checks every code unit), and invariant
/// lower-casing maps each code unit outside a surrogate pair on its own, so the words of a text are the lower-cased
/// words of the original text: a word that lower-casing leaves alone can be a slice of the original.
/// </remarks>
internal static class WordScanner
{
    private const uint Word = 1, Changes = 2;

    private static readonly uint[] Flags = CreateFlags();

    private static uint[] CreateFlags()
    {
        var flags = new uint[(char.MaxValue + 1) / 16];
        for (int c = 0; c <= char.MaxValue; c++)
        {
            uint f = 0;
            // L* (5 categories), M* (3) and N* (3) are the first eleven values of UnicodeCategory
            if (CharUnicodeInfo.GetUnicodeCategory((char)c) <= UnicodeCategory.OtherNumber)
                f |= Word;
            if (!char.IsSurrogate((char)c) && char.ToLowerInvariant((char)c) != c)
                f |= Changes;
            flags[c >> 4] |= f << (2 * (c & 15));
        }
        return flags;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FlagsOf(ref uint flags, char c) => Unsafe.Add(ref flags, c >> 4) >> (2 * (c & 15)); // c >> 4 < Flags.Length for every char

    /// <summary>Whether <paramref name="c"/> belongs in a word: a letter, a combining mark or a number.</summary>
    public static bool IsWordCharacter(char c) => (FlagsOf(ref MemoryMarshal.GetArrayDataReference(Flags), c) & Word) != 0;

    /// <summary>Whether invariant lower-casing changes <paramref name="c"/> (a code unit outside a surrogate pair).</summary>
    public static bool ChangesWhenLowerCased(char c) => (FlagsOf(ref MemoryMarshal.GetArrayDataReference(Flags), c) & Changes) != 0;

    /// <summary>
    /// Finds the next word at or after <paramref name="position"/>, which it then moves past the word; false when
    /// the text holds no further word. Start at position 0 and call until false to get every word in text order.
    /// <paramref name="lowerCaseChanges"/> tells whether invariant lower-casing changes the word.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<char> text, ref int position, out int start, out int length, out bool lowerCaseChanges)
    {
        ref uint flags = ref MemoryMarshal.GetArrayDataReference(Flags);
        int i = position;
        while (i < text.Length && (FlagsOf(ref flags, text[i]) & Word) == 0)
            i++;
        start = i;
        uint seen = 0;
        uint f;
        while (i < text.Length && ((f = FlagsOf(ref flags, text[i])) & Word) != 0)
        {
            seen |= f;
            i++;
        }
        length = i - start;
        position = i;
        lowerCaseChanges = (seen & Changes) != 0;
        return length > 0;
    }
}
