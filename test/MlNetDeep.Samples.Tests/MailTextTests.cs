using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class MailTextTests
{
    [TestMethod]
    [DataRow("Subject: Hello\nFrom: a\n\nbody", "Hello\nbody")]
    [DataRow("From: a\nsubject:   lower case  \n\nbody\n\nmore", "lower case\nbody\n\nmore")]
    [DataRow("Subject: folded\n\tcontinued\n  again\nTo: b\n\nbody", "folded continued again\nbody")]
    [DataRow("From: a\n\nno subject", "\nno subject")]
    [DataRow("Subject: only headers", "only headers\n")]
    [DataRow("From: a\n\nSubject: in body\n", "\nSubject: in body\n")]
    public void Extract_SubjectNewlineBody(string mail, string expected) => Assert.AreEqual(expected, MailText.Extract(mail));
}
