using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Finds the words of a text: maximal runs of UTF-16 characters whose Unicode category is a letter (L*), a mark (M*)
/// or a number (N*), exactly the matches of the regular expression <c>[\p{L}\p{M}\p{N}]+</c> (which .NET evaluates
/// one UTF-16 character at a time, so the halves of a surrogate pair, category Surrogate, always end a word).
/// Each code unit has two bits in a 16 KB table built once from <see cref="CharUnicodeInfo.GetUnicodeCategory(char)"/>
/// and <see cref="char.ToLowerInvariant(char)"/>: whether it belongs in a word, and whether invariant lower-casing
/// changes it. <see cref="Scan{TSink}"/> reads ASCII text 16 characters at a time through bit masks instead (1.7×
/// faster than a loop over the table on the SpamAssassin mails, where 99.7% of 16-character blocks are ASCII and
/// most words are a few characters long).
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
    /// <paramref name="lowerCaseChanges"/> tells whether invariant lower-casing changes the word. The one-character
    /// reference that <see cref="Scan{TSink}"/> must agree with (a test compares them on the corpus).
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

    /// <summary>
    /// Hands every word of <paramref name="text"/> to <paramref name="sink"/> in text order: the words of
    /// <see cref="TryNext"/>, found 16 characters at a time. A block of 16 ASCII characters is classified with vector
    /// compares into a bit mask of word characters and one of upper-case letters (in ASCII the word characters are
    /// exactly the letters and digits, and only A–Z change when lower-cased), and the words are read off the masks'
    /// bit transitions; a block holding any other character, and the last few characters, go through the table one
    /// character at a time. A word can span blocks of either kind.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IWordSink
    {
        ref uint flags = ref MemoryMarshal.GetArrayDataReference(Flags);
        ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        int start = -1; // where the current word began; -1 between words
        uint changes = 0; // nonzero once a character of the current word changes when lower-cased
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= text.Length - 16; i += 16)
            {
                var low = Vector128.LoadUnsafe(ref first, (nuint)i);
                var high = Vector128.LoadUnsafe(ref first, (nuint)(i + 8));
                if (((low | high) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
                {
                    ScanCharacters(text, i, i + 16, ref flags, ref start, ref changes, ref sink);
                    continue;
                }
                var bytes = Vector128.Narrow(low, high); // every character is below 128
                uint upper = Vector128.LessThan(bytes - Vector128.Create((byte)'A'), Vector128.Create((byte)26)).ExtractMostSignificantBits();
                uint letter = Vector128.LessThan((bytes | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)26)).ExtractMostSignificantBits();
                uint digit = Vector128.LessThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits();
                uint word = letter | digit;
                uint rest = 0xFFFF; // the block's characters not yet consumed
                while (true)
                {
                    if (start < 0)
                    {
                        uint begins = word & rest;
                        if (begins == 0)
                            break;
                        int b = BitOperations.TrailingZeroCount(begins);
                        start = i + b;
                        changes = 0;
                        rest = 0xFFFFu << b;
                    }
                    uint ends = ~word & rest & 0xFFFF;
                    if (ends == 0)
                    {
                        changes |= upper & rest; // the word goes on into the next block
                        break;
                    }
                    int e = BitOperations.TrailingZeroCount(ends);
                    changes |= upper & rest & ((1u << e) - 1);
                    sink.Word(text, start, i + e - start, changes != 0);
                    start = -1;
                    rest = 0xFFFFu << e;
                }
            }
        }
        ScanCharacters(text, i, text.Length, ref flags, ref start, ref changes, ref sink);
        if (start >= 0)
            sink.Word(text, start, text.Length - start, changes != 0);
    }

    /// <summary>Characters <paramref name="from"/> to <paramref name="to"/> − 1 through the table, carrying the current word in and out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScanCharacters<TSink>(ReadOnlySpan<char> text, int from, int to, ref uint flags, ref int start, ref uint changes, ref TSink sink)
        where TSink : struct, IWordSink
    {
        for (int j = from; j < to; j++)
        {
            uint f = FlagsOf(ref flags, text[j]);
            if ((f & Word) != 0)
            {
                if (start < 0)
                {
                    start = j;
                    changes = 0;
                }
                changes |= f & Changes;
            }
            else if (start >= 0)
            {
                sink.Word(text, start, j - start, changes != 0);
                start = -1;
            }
        }
    }
}

/// <summary>Receives the words <see cref="WordScanner.Scan{TSink}"/> finds (a struct, so each call is direct and can be inlined).</summary>
internal interface IWordSink
{
    /// <summary>The word <c>text[start..(start + length)]</c>; <paramref name="lowerCaseChanges"/> tells whether invariant lower-casing changes it.</summary>
    void Word(ReadOnlySpan<char> text, int start, int length, bool lowerCaseChanges);
}
