namespace MlNetDeep.Samples.Data;

/// <summary>
/// Turns a raw RFC 822 mail into the lab's text: the Subject header's value (folded lines joined), a newline, and the
/// raw body after the first blank line. No MIME, quoted-printable or HTML decoding, as in the lab's reference runs.
/// </summary>
internal static class MailText
{
    public static string Extract(string mail) => Subject(mail) + "\n" + Body(mail);

    public static string Subject(string mail)
    {
        var headers = mail[..HeaderEnd(mail).HeaderLength];
        var lines = headers.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (!line.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = line["Subject:".Length..].Trim();
            for (int j = i + 1; j < lines.Length && lines[j].Length > 0 && (lines[j][0] == ' ' || lines[j][0] == '\t'); j++)
                value += " " + lines[j].TrimEnd('\r').Trim();
            return value;
        }
        return "";
    }

    public static string Body(string mail)
    {
        var (headerLength, bodyStart) = HeaderEnd(mail);
        return bodyStart >= mail.Length ? "" : mail[bodyStart..];
    }

    /// <summary>Where the header block ends and the body starts (the first empty line, LF or CRLF); no blank line: all header.</summary>
    private static (int HeaderLength, int BodyStart) HeaderEnd(string mail)
    {
        int lf = mail.IndexOf("\n\n", StringComparison.Ordinal);
        int crlf = mail.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
            return (crlf, crlf + 4);
        if (lf >= 0)
            return (lf, lf + 2);
        return (mail.Length, mail.Length);
    }
}
