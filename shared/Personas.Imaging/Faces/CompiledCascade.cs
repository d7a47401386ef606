using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

            /// <summary>
            /// Runs the cascade on every window of a level, <paramref name="step"/> pixels apart, and returns the top-left
            /// corners of the windows that pass all stages. Eight neighbouring windows read neighbouring integral cells,
            /// so they are evaluated together (at step 2, every other lane is one), with the same arithmetic in the same
            /// order as the one-window path: the results are identical, only about three times faster (docs/benchmarks.md).
            /// A group runs until all its windows fail; going on one by one once few were left measured slower.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first photo: skip the slow first JIT tier
            public unsafe List<(int X, int Y)> Scan(IntegralImage integral, int width, int height, int windowWidth, int windowHeight, int step, bool allowVectors)
            {
                var passed = new List<(int X, int Y)>();
                var stride = integral.Stride;
                var vectorised = allowVectors && step is 1 or 2 && Vector256.IsHardwareAccelerated;
                var lanesInStep = step == 1 ? 0xFF : 0x55;
                var norms = stackalloc float[Lanes];
                fixed (int* sums = integral.Sums)
                fixed (long* squares = integral.Squares)
                {
                    for (var y = 0; y + windowHeight < height; y += step)
                    {
                        var x = 0;
                        if (vectorised)
                            for (; x + Lanes - 1 + windowWidth < width; x += Lanes)
                            {
                                var origin = y * stride + x;
                                var alive = 0;
                                for (var lane = 0; lane < Lanes; lane++)
                                    if ((lanesInStep >> lane & 1) != 0 && Norm(sums + origin + lane, squares + origin + lane, stride) is { } norm) { norms[lane] = norm; alive |= 1 << lane; }
                                    else norms[lane] = 1f;
                                if (alive == 0) continue;
                                var survivors = PassingOfEight(sums + origin, Vector256.Load(norms), alive);
                                for (var lane = 0; survivors != 0; lane++, survivors >>= 1)
                                    if ((survivors & 1) != 0) passed.Add((x + lane, y));
                            }
                        for (; x + windowWidth < width; x += step)
                        {
                            var origin = y * stride + x;
                            if (Norm(sums + origin, squares + origin, stride) is { } norm && Passes(sums + origin, norm)) passed.Add((x, y));
                        }
                    }
                }
                return passed;
            }

            private const int Lanes = 8;

            /// <summary>
            /// The window's contrast, area × σ, measured over the window less a 1-pixel border as OpenCV does; null when the
            /// window is flatter than MinContrast grey levels of σ and so holds no face (walls, sky, studio backdrops).
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private unsafe float? Norm(int* window, long* squares, int stride)
            {
                int topLeft = stride + 1, topRight = topLeft + _normWidth, bottomLeft = (1 + _normHeight) * stride + 1, bottomRight = bottomLeft + _normWidth;
                double sum = window[bottomRight] - window[topRight] - window[bottomLeft] + window[topLeft];
                double squareSum = squares[bottomRight] - squares[topRight] - squares[bottomLeft] + squares[topLeft];
                var variance = _normArea * squareSum - sum * sum;
                return variance < MinContrastVariance * _normArea * _normArea ? null : (float)Math.Sqrt(variance);
            }

            /// <summary>Runs the cascade on one window; true when it passes every stage.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first photo: skip the slow first JIT tier
            private unsafe bool Passes(int* window, float norm)
            {
                fixed (int* corners = _corners, rectStarts = _rectStarts, stageEnds = _stageEnds)
                fixed (float* weights = _weights, thresholds = _thresholds, left = _left, right = _right, stageThresholds = _stageThresholds)
                {
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
                    return true;
                }
            }

            /// <summary>The cascade on the eight windows starting at <paramref name="window"/> (the lanes set in <paramref name="alive"/>); a bit per lane that passed every stage.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first photo: skip the slow first JIT tier
            private unsafe int PassingOfEight(int* window, Vector256<float> norm, int alive)
            {
                var live = Vector256.GreaterThan(Vector256.Create(alive) & Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128), Vector256<int>.Zero).AsSingle();
                fixed (int* corners = _corners, rectStarts = _rectStarts, stageEnds = _stageEnds)
                fixed (float* weights = _weights, thresholds = _thresholds, left = _left, right = _right, stageThresholds = _stageThresholds)
                {
                    var stump = 0;
                    for (var stage = 0; stage < _stageEnds.Length; stage++)
                    {
                        var score = Vector256<float>.Zero;
                        for (var end = stageEnds[stage]; stump < end; stump++)
                        {
                            var value = Vector256<float>.Zero;
                            for (int r = rectStarts[stump], last = rectStarts[stump + 1]; r < last; r++)
                            {
                                var c = corners + r * 4;
                                var area = Vector256.Load(window + c[3]) - Vector256.Load(window + c[1]) - Vector256.Load(window + c[2]) + Vector256.Load(window + c[0]);
                                value += Vector256.Create(weights[r]) * Vector256.ConvertToSingle(area);
                            }
                            var below = Vector256.LessThan(value, Vector256.Create(thresholds[stump]) * norm);
                            score += Vector256.ConditionalSelect(below, Vector256.Create(left[stump]), Vector256.Create(right[stump]));
                        }
                        live &= Vector256.GreaterThanOrEqual(score, Vector256.Create(stageThresholds[stage]));
                        if (live == Vector256<float>.Zero) return 0;
                    }
                    return (int)live.ExtractMostSignificantBits();
                }
            }
        }
    }
}
