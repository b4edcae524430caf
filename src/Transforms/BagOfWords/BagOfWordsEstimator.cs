using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using MlNetDeep.BagOfWords;
using MlNetDeep.Common;

namespace MlNetDeep;

/// <summary>
/// Turns a text column into a fixed-size sparse Single vector over a vocabulary learned in <c>Fit</c>: the
/// <see cref="BagOfWordsOptions.MaximumVocabularySize"/> most frequent tokens of the fitting corpus (ties in ordinal
/// order) that occur in at least <see cref="BagOfWordsOptions.MinimumDocumentFrequency"/> documents. Tokens outside
/// the vocabulary are ignored; null or empty text gives an all-zero row.
/// </summary>
/// <remarks>
/// What is saved, all standard ML.NET transforms: CopyColumns; the stateless tokenizer CustomMapping
/// (<c>MlNetDeep.BagOfWords.WordTokens.v1</c> or <c>MlNetDeep.BagOfWords.Cl100kBaseTokens.v1</c>); ML.NET's
/// English stop-word remover when asked; in multi-hot mode the CustomMapping
/// <c>MlNetDeep.BagOfWords.DistinctTokens.v1</c>; <c>MapValueToKey</c> holding the vocabulary as its key data;
/// <c>MapKeyToVector</c> counting; in TF-IDF mode an affine normalizer whose per-slot scales are the idf weights;
/// and a DropColumns. The multi-hot and TF-IDF maps are standard transforms rather than small ONNX graphs because
/// ML.NET's ONNX transformer returns dense vectors without slot names: over a 10,000-token vocabulary that is 40 KB a
/// row, and the vocabulary would be lost from the schema. The fitted transformer itself does not run that chain row by
/// row when the vector is written beside the text: it computes each row's vector in one pass (tokens scanned, looked
/// up in the vocabulary and counted, the sparse vector written), with the chain's schema and the chain's values bit for
/// bit; a saved and loaded model is the chain and runs it.
/// </remarks>
public sealed class BagOfWordsEstimator : IEstimator<BagOfWordsTransformer>
{
    private readonly MLContext _ml;
    private readonly BagOfWordsOptions _options;

    /// <summary>Creates the estimator from a copy of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public BagOfWordsEstimator(BagOfWordsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        Validate(_options);
        _ml = new MLContext();
    }

    /// <summary>How many threads count the words in <see cref="Fit"/> (Words tokenizer); 0, the default: one per core, at most 8. The vocabulary does not depend on it.</summary>
    internal int WordWorkers { get; init; }

    private string InputColumn => _options.InputColumnName ?? _options.OutputColumnName;

    /// <summary>Checks the text column and returns the output schema (a known-size Single vector with the vocabulary as slot names).</summary>
    /// <exception cref="ArgumentException">The input column is missing or not text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = SchemaChecks.Find(inputSchema, InputColumn);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw SchemaChecks.WrongType(InputColumn, "String (text)", SchemaChecks.Describe(column));
        IEstimator<ITransformer> chain = Counting(new[] { "placeholder" });
        if (_options.Mode == BagOfWordsMode.TfIdf)
            chain = chain.Append(_ml.Transforms.NormalizeMinMax(_options.OutputColumnName, Tokenization.CountsColumn, fixZero: true));
        return chain.Append(_ml.Transforms.DropColumns(InternalColumns())).GetOutputSchema(inputSchema);
    }

    /// <summary>Tokenizes the corpus, learns the vocabulary (and idf weights) and builds the transformer.</summary>
    /// <exception cref="ArgumentException">The input column is missing or not text.</exception>
    /// <exception cref="InvalidOperationException">No token occurs in enough documents: the vocabulary would be empty; or the
    /// corpus's distinct words hold more than about 2^31 characters in all (Words tokenizer).</exception>
    public BagOfWordsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var type = SchemaChecks.Find(input.Schema, InputColumn).Type;
        if (type is not TextDataViewType)
            throw SchemaChecks.WrongType(InputColumn, "String (text)", SchemaChecks.Describe(type));

        var builder = new VocabularyBuilder(_options.Tokenizer, WordWorkers);
        builder.AddAll(input, InputColumn);
        if (_options.RemoveStopWords)
            builder.Remove(StopWords(builder.Tokens));
        var (vocabulary, counts, documentFrequencies, outOfVocabulary) = builder.Build(_options.MaximumVocabularySize, _options.MinimumDocumentFrequency);
        if (vocabulary.Length == 0)
            throw new InvalidOperationException(
                $"No token of column '{InputColumn}' occurs in at least {_options.MinimumDocumentFrequency} of the {builder.Documents} documents; the vocabulary would be empty.");

        var transformers = new List<ITransformer>(ComposedTransformer.FitChain(Counting(vocabulary), input));
        double[]? idf = null;
        float[]? scales = null;
        if (_options.Mode == BagOfWordsMode.TfIdf)
        {
            idf = documentFrequencies.Select(df => Math.Log((1.0 + builder.Documents) / (1.0 + df)) + 1.0).ToArray();
            var scaling = IdfScaling.Create(_ml, _options.OutputColumnName, Tokenization.CountsColumn, idf);
            scales = IdfScaling.Scales(scaling);
            transformers.Add(scaling);
        }
        var beforeDrop = new TransformerChain<ITransformer>(transformers.ToArray()).Transform(input);
        transformers.Add(_ml.Transforms.DropColumns(InternalColumns()).Fit(beforeDrop));
        return new BagOfWordsTransformer(new TransformerChain<ITransformer>(transformers.ToArray()), vocabulary, counts, documentFrequencies, idf,
            outOfVocabulary, builder.Documents, _options.Mode, _options.Tokenizer, new VocabularyIndex(vocabulary, _options.Mode, _options.Tokenizer, scales),
            _options.OutputColumnName, InputColumn);
    }

    /// <summary>
    /// Which of <paramref name="tokens"/> ML.NET's English stop-word remover drops: the remover works token by token,
    /// so running it over the distinct tokens finds exactly the ones it removes from any text.
    /// </summary>
    private IEnumerable<string> StopWords(IEnumerable<string> tokens)
    {
        var candidates = tokens.ToArray();
        var rows = _ml.Data.LoadFromEnumerable(candidates.Select(t => new TokenRow { Tokens = new[] { t } }));
        var kept = _ml.Transforms.Text.RemoveDefaultStopWords(nameof(TokenRow.Tokens), nameof(TokenRow.Tokens), StopWordsRemovingEstimator.Language.English).Fit(rows).Transform(rows);
        var column = kept.Schema[nameof(TokenRow.Tokens)];
        var removed = new List<string>();
        using var cursor = kept.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> value = default;
        for (int i = 0; cursor.MoveNext(); i++)
        {
            getter(ref value);
            if (value.GetValues().Length == 0)
                removed.Add(candidates[i]);
        }
        return removed;
    }

    private string[] InternalColumns()
    {
        var columns = new List<string> { Tokenization.TextColumn, Tokenization.TokensColumn, Tokenization.KeysColumn };
        if (_options.Mode == BagOfWordsMode.MultiHot)
            columns.Add(Tokenization.DistinctTokensColumn);
        if (_options.Mode == BagOfWordsMode.TfIdf)
            columns.Add(Tokenization.CountsColumn);
        return columns.Where(c => c != _options.OutputColumnName).ToArray();
    }

    /// <summary>Copy → tokenizer → stop words: the token column the vocabulary is counted on.</summary>
    private IEstimator<ITransformer> Tokenizing()
    {
        IEstimator<ITransformer> chain = _ml.Transforms.CopyColumns(Tokenization.TextColumn, InputColumn)
            .Append(_options.Tokenizer == BagOfWordsTokenizer.Words
                ? _ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapWords, Tokenization.WordsContract)
                : _ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapCl100kBase, Tokenization.Cl100kContract));
        if (_options.RemoveStopWords)
            chain = chain.Append(_ml.Transforms.Text.RemoveDefaultStopWords(Tokenization.TokensColumn, Tokenization.TokensColumn, StopWordsRemovingEstimator.Language.English));
        return chain;
    }

    /// <summary>Tokenizing, then (multi-hot) distinct tokens, key mapping over the vocabulary and the count vector.</summary>
    private IEstimator<ITransformer> Counting(IReadOnlyList<string> vocabulary)
    {
        var chain = Tokenizing();
        var tokens = Tokenization.TokensColumn;
        if (_options.Mode == BagOfWordsMode.MultiHot)
        {
            chain = chain.Append(_ml.Transforms.CustomMapping<TokensInput, DistinctTokensOutput>(Tokenization.MapDistinct, Tokenization.DistinctContract));
            tokens = Tokenization.DistinctTokensColumn;
        }
        var keyData = _ml.Data.LoadFromEnumerable(vocabulary.Select(t => new Term { Value = t }));
        var bag = _options.Mode == BagOfWordsMode.TfIdf ? Tokenization.CountsColumn : _options.OutputColumnName;
        return chain
            .Append(_ml.Transforms.Conversion.MapValueToKey(Tokenization.KeysColumn, tokens, keyData: keyData))
            .Append(_ml.Transforms.Conversion.MapKeyToVector(bag, Tokenization.KeysColumn, outputCountVector: true));
    }

    private static void Validate(BagOfWordsOptions o)
    {
        var errors = new OptionErrors();
        errors.Check(!string.IsNullOrWhiteSpace(o.OutputColumnName), nameof(o.OutputColumnName), "a column name", o.OutputColumnName);
        errors.Check(o.InputColumnName is null || o.InputColumnName.Trim().Length > 0, nameof(o.InputColumnName), "null or a column name", o.InputColumnName);
        errors.Check(o.MaximumVocabularySize >= 1, nameof(o.MaximumVocabularySize), "at least 1", o.MaximumVocabularySize);
        errors.Check(o.MinimumDocumentFrequency >= 1, nameof(o.MinimumDocumentFrequency), "at least 1", o.MinimumDocumentFrequency);
        errors.Check(Enum.IsDefined(o.Tokenizer), nameof(o.Tokenizer), "Words or Cl100kBase", o.Tokenizer);
        errors.Check(Enum.IsDefined(o.Mode), nameof(o.Mode), "MultiHot, Counts or TfIdf", o.Mode);
        errors.ThrowIfAny(nameof(BagOfWordsOptions), "options");
    }

    private sealed class TokenRow
    {
        public string[] Tokens { get; set; } = Array.Empty<string>();
    }

    private sealed class Term
    {
        public string Value { get; set; } = "";
    }
}
