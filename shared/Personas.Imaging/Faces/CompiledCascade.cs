namespace Personas.Imaging.Faces;

public sealed partial class FaceDetector
{
    /// <summary>
    /// The cascade flattened for speed: every stump's rectangles as four corner offsets into an integral image of a
    /// given row stride, so a rectangle sum is four array reads. Compiled once per stride and reused.
    /// </summary>
    private sealed class CompiledCascade(HaarCascade cascade)
    {
        private readonly Dictionary<int, Level> _levels = new();
        private readonly Lock _gate = new();

        public Level ForStride(int stride)
        {
            lock (_gate)
            {
                if (!_levels.TryGetValue(stride, out var level)) _levels[stride] = level = new Level(cascade, stride);
                return level;
            }
        }

        internal sealed class Level
        {
            private const double MinContrast = 8;
            private const double MinContrastVariance = MinContrast * MinContrast;

            private readonly int[] _stageEnds;      // exclusive end index of each stage's stumps
            private readonly float[] _stageThresholds;
            private readonly float[] _thresholds, _left, _right;
            private readonly int[] _rectStarts;     // per stump, index of its first rectangle (one past the last for the next)
            private readonly int[] _corners;        // per rectangle: 4 offsets (top-left, top-right, bottom-left, bottom-right)
            private readonly float[] _weights;
            private readonly int _normWidth, _normHeight, _normArea;

            public Level(HaarCascade cascade, int stride)
            {
                var stumps = cascade.Stages.SelectMany(s => s.Classifiers).ToArray();
                _stageEnds = new int[cascade.Stages.Length];
                _stageThresholds = new float[cascade.Stages.Length];
                for (int i = 0, end = 0; i < cascade.Stages.Length; i++)
                {
                    end += cascade.Stages[i].Classifiers.Length;
                    _stageEnds[i] = end;
                    _stageThresholds[i] = (float)cascade.Stages[i].Threshold;
                }
                _thresholds = stumps.Select(w => (float)w.Threshold).ToArray();
                _left = stumps.Select(w => (float)w.Left).ToArray();
                _right = stumps.Select(w => (float)w.Right).ToArray();
                _rectStarts = new int[stumps.Length + 1];
                var corners = new List<int>();
                var weights = new List<float>();
                for (var k = 0; k < stumps.Length; k++)
                {
                    _rectStarts[k] = weights.Count;
                    foreach (var r in cascade.Features[stumps[k].FeatureIndex].Rects)
                    {
                        corners.AddRange([r.Y * stride + r.X, r.Y * stride + r.X + r.Width, (r.Y + r.Height) * stride + r.X, (r.Y + r.Height) * stride + r.X + r.Width]);
                        weights.Add((float)r.Weight);
                    }
                }
                _rectStarts[stumps.Length] = weights.Count;
                _corners = corners.ToArray();
                _weights = weights.ToArray();
                _normWidth = cascade.WindowWidth - 2;
                _normHeight = cascade.WindowHeight - 2;
                _normArea = _normWidth * _normHeight;
            }

            public unsafe bool Passes(IntegralImage integral, int x, int y)
            {
                // Contrast normalisation over the window less a 1-pixel border, as OpenCV does.
                double sum = integral.Sum(x + 1, y + 1, _normWidth, _normHeight);
                double squares = integral.SquareSum(x + 1, y + 1, _normWidth, _normHeight);
                var variance = _normArea * squares - sum * sum;
                // A window flatter than MinContrast grey levels of standard deviation holds no face (walls, sky, studio
                // backdrops); rejecting it here skips the cascade. norm = area × σ.
                if (variance < MinContrastVariance * _normArea * _normArea) return false;
                var norm = variance > 0 ? (float)Math.Sqrt(variance) : 1f;

                var origin = y * integral.Stride + x;
                fixed (int* sums = integral.Sums, corners = _corners, rectStarts = _rectStarts, stageEnds = _stageEnds)
                fixed (float* weights = _weights, thresholds = _thresholds, left = _left, right = _right, stageThresholds = _stageThresholds)
                {
                    var window = sums + origin;
                    var stump = 0;
                    for (var stage = 0; stage < _stageEnds.Length; stage++)
                    {
                        var score = 0f;
                        for (var end = stageEnds[stage]; stump < end; stump++)
                        {
                            var value = 0f;
                            for (int r = rectStarts[stump], last = rectStarts[stump + 1]; r < last; r++)
                            {
                                var c = corners + r * 4;
                                value += weights[r] * (window[c[3]] - window[c[1]] - window[c[2]] + window[c[0]]);
                            }
                            score += value < thresholds[stump] * norm ? left[stump] : right[stump];
                        }
                        if (score < stageThresholds[stage]) return false;
                    }
                }
                return true;
            }
        }
    }
}
