namespace MlNetDeep;

/// <summary>Student's t distribution: the two-sided critical value used for confidence intervals of a mean.</summary>
internal static class StudentT
{
    /// <summary>The <paramref name="p"/>-quantile (p in (0.5, 1)) of Student's t with <paramref name="degreesOfFreedom"/>, to ~1e-12.</summary>
    public static double Quantile(double p, int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1)
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), $"Invalid value for degreesOfFreedom: expected at least 1. Received: degreesOfFreedom={degreesOfFreedom}.");
        if (!(p > 0.5 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Invalid value for p: expected a value in (0.5, 1). Received: p={p}.");
        // bisection on the CDF; the CDF is monotone and the bracket [0, hi] is doubled until it holds the quantile
        double lo = 0, hi = 1;
        while (Cdf(hi, degreesOfFreedom) < p)
            hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Cdf(mid, degreesOfFreedom) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>P(T ≤ t) for t ≥ 0: 1 − ½·I_{ν/(ν+t²)}(ν/2, ½).</summary>
    public static double Cdf(double t, int degreesOfFreedom)
    {
        double v = degreesOfFreedom;
        return 1 - 0.5 * RegularizedIncompleteBeta(v / (v + t * t), v / 2, 0.5);
    }

    /// <summary>I_x(a, b) by its continued fraction (modified Lentz), using the symmetry for x beyond the mean.</summary>
    private static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        double h = d;
        for (int m = 1; m <= 500; m++)
        {
            for (int step = 0; step < 2; step++)
            {
                double numerator = step == 0
                    ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                    : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
                d = 1 + numerator * d;
                d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
                c = 1 + numerator / c;
                if (Math.Abs(c) < Tiny) c = Tiny;
                double delta = c * d;
                h *= delta;
                if (step == 1 && Math.Abs(delta - 1) < 1e-15)
                    return h;
            }
        }
        return h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, 9 terms; relative error ~1e-15).</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++)
            sum += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
