// colour_modes.glsl - the tile colour modes (TileStyle::color_mode in web/renderer.h), shared by
// the per-pixel shader (tiles.frag), the exact polygons (polygons.frag) and the 3-D surface
// (surface.frag), so that all of them paint a point of the plane alike. The inputs are the
// network's outputs at the point (f_lo: outputs 0-3, f_hi: outputs 4-7, f_ex: outputs 8-9; every
// output a network may have, kMaxOutputs) and the norm of the gradient of output u_output_index
// there.

uniform int u_color_mode;        // 0 code hash, 1 gradient norm, 2 output, 3 class blend
uniform int u_output_index;      // output shown by the gradient and output modes
uniform int u_output_kind;       // 0 regression, 1 binary logit, 2 softmax classes
uniform int u_outputs;           // number of outputs, 1..10
uniform float u_value_scale;     // regression: |f| drawn at full colour
uniform float u_gradient_scale;  // gradient norm at the top of the map
uniform float u_wash;            // every colour moved this far to white (the light theme; washed())

// kClassColours of web/views/class_colours.h, as in points.frag: Okabe-Ito's eight, then Tol's
// wine and pink (a native test checks the copies agree).
const vec3 kModeClassColours[10] = vec3[10](
  vec3(0.000, 0.447, 0.698), vec3(0.902, 0.624, 0.000), vec3(0.000, 0.620, 0.451),
  vec3(0.800, 0.475, 0.655), vec3(0.337, 0.706, 0.914), vec3(0.835, 0.369, 0.000),
  vec3(0.941, 0.894, 0.259), vec3(0.100, 0.100, 0.100), vec3(0.533, 0.133, 0.333),
  vec3(1.000, 0.667, 0.733));
const vec3 kNeutral = vec3(0.95, 0.95, 0.93);

// Viridis (perceptually uniform, monotone in lightness), as a degree-6 polynomial fit.
vec3 viridis(float t) {
  const vec3 c0 = vec3(0.2777273272234177, 0.005407344544966578, 0.3340998053353061);
  const vec3 c1 = vec3(0.1050930431085774, 1.404613529898575, 1.384590162594685);
  const vec3 c2 = vec3(-0.3308618287255563, 0.214847559468213, 0.09509516302823659);
  const vec3 c3 = vec3(-4.634230498983486, -5.799100973351585, -19.33244095627987);
  const vec3 c4 = vec3(6.228269936347081, 14.17993336680509, 56.69055260068105);
  const vec3 c5 = vec3(4.776384997670288, -13.74514537774601, -65.35303263337234);
  const vec3 c6 = vec3(-5.435455855934631, 4.645852612178535, 26.3124352495832);
  t = clamp(t, 0.0, 1.0);
  return clamp(c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6))))), 0.0, 1.0);
}

// Diverging, t in [-1, 1]: the colour of class 0 (blue) through a light neutral to that of
// class 1 (orange), the colours the data points use for negative and positive targets.
vec3 diverging(float t) {
  t = clamp(t, -1.0, 1.0);
  return t < 0.0 ? mix(kNeutral, kModeClassColours[0], -t) : mix(kNeutral, kModeClassColours[1], t);
}

float output_value(vec4 f_lo, vec4 f_hi, vec2 f_ex, int k) {
  return k < 4 ? f_lo[k] : k < 8 ? f_hi[k - 4] : f_ex[k - 8];
}

// The predicted class, and the confidence of the prediction mapped to [0, 1] (0: a tie).
int predicted_class(vec4 f_lo, vec4 f_hi, vec2 f_ex, out float confidence) {
  if (u_output_kind != 2) {
    float f = output_value(f_lo, f_hi, f_ex, u_output_kind == 0 ? u_output_index : 0);
    float p = 1.0 / (1.0 + exp(-f));
    confidence = abs(2.0 * p - 1.0);
    return f > 0.0 ? 1 : 0;
  }
  int best = 0;
  float top = f_lo.x;
  for (int k = 1; k < 10; ++k) {
    if (k >= u_outputs) break;
    float f = output_value(f_lo, f_hi, f_ex, k);
    if (f > top) { top = f; best = k; }
  }
  float sum = 0.0;
  for (int k = 0; k < 10; ++k) {
    if (k >= u_outputs) break;
    sum += exp(output_value(f_lo, f_hi, f_ex, k) - top);
  }
  float chance = 1.0 / float(u_outputs);
  confidence = clamp((1.0 / sum - chance) / (1.0 - chance), 0.0, 1.0);
  return best;
}

// The fill colour of a point in the current mode; code_colour is its tile_colour().
vec3 unwashed_mode_colour(vec3 code_colour, vec4 f_lo, vec4 f_hi, vec2 f_ex,
                          float gradient_norm) {
  if (u_color_mode == 1) return viridis(gradient_norm / max(u_gradient_scale, 1e-30));
  if (u_color_mode == 2) {
    if (u_output_kind == 0)
      return diverging(output_value(f_lo, f_hi, f_ex, u_output_index) / max(u_value_scale, 1e-30));
    float confidence;
    int c = predicted_class(f_lo, f_hi, f_ex, confidence);
    if (u_output_kind == 1) return diverging(c == 1 ? confidence : -confidence);
    return mix(kNeutral, kModeClassColours[c], 0.15 + 0.85 * confidence);
  }
  if (u_color_mode == 3) {
    float confidence;
    int c = predicted_class(f_lo, f_hi, f_ex, confidence);
    return mix(code_colour, kModeClassColours[c], 0.5);
  }
  return code_colour;
}

vec3 mode_colour(vec3 code_colour, vec4 f_lo, vec4 f_hi, vec2 f_ex, float gradient_norm) {
  return mix(unwashed_mode_colour(code_colour, f_lo, f_hi, f_ex, gradient_norm), vec3(1.0),
             u_wash);
}
