// code_hash.glsl - twin of engine/code_hash.h: the 64-bit activation-code hash as two 32-bit
// halves, and the tile colour derived from it. Keep the two files bit-identical in behaviour;
// the engine's tests and the browser tests check shared test vectors.

uint mix32(uint x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

// key(k) = (mix32(2k + 1), mix32(2k + 2)); hash(code) = XOR of the keys of the active neurons.
uvec2 neuron_key(int k) {
  uint u = uint(k);
  return uvec2(mix32(2u * u + 1u), mix32(2u * u + 2u));
}

// The refined colour family of engine/code_hash.h (TileFamily): hue (turns), saturation and
// value, and the layers refined into it. evaluate_network resets it and refines it with the hash
// of each coloured hidden layer's own bits; tiles.frag shows it when colouring by fewer layers
// than the network has.
vec3 g_family;
int g_family_layers;

float signed_byte(uint m, uint shift) { return float((m >> shift) & 0xffu) / 127.5 - 1.0; }

void refine_family(uvec2 lh) {
  uint m = mix32(lh.x ^ mix32(lh.y ^ 0x5bd1e995u));
  if (g_family_layers == 0) {
    g_family = vec3(float(m & 0xffffu) / 65536.0, 0.30 + 0.30 * float((m >> 16) & 0xffu) / 255.0,
                    0.80 + 0.17 * float((m >> 24) & 0xffu) / 255.0);
  } else {
    float a = 1.0 / float(g_family_layers); // deeper layers vary less
    g_family.x = fract(g_family.x + 0.03 * a * signed_byte(m, 0u));
    g_family.y = clamp(g_family.y + 0.12 * a * signed_byte(m, 8u), 0.2, 0.75);
    g_family.z = clamp(g_family.z + 0.18 * a * signed_byte(m, 16u), 0.55, 0.98);
  }
  g_family_layers += 1;
}

vec3 hsv_colour(vec3 hsv) {
  vec3 k = mod(hsv.x * 6.0 + vec3(5.0, 3.0, 1.0), 6.0);
  vec3 t = clamp(min(k, 4.0 - k), 0.0, 1.0);
  return hsv.z - hsv.z * hsv.y * t;
}

vec3 tile_colour(uvec2 h) {
  uint m = mix32(h.x ^ mix32(h.y ^ 0x5bd1e995u));
  float hue = float(m & 0xffffu) / 65536.0;
  float sat = 0.30 + 0.30 * float((m >> 16) & 0xffu) / 255.0;
  float val = 0.80 + 0.17 * float((m >> 24) & 0xffu) / 255.0;
  vec3 k = mod(hue * 6.0 + vec3(5.0, 3.0, 1.0), 6.0);
  vec3 t = clamp(min(k, 4.0 - k), 0.0, 1.0);
  return val - val * sat * t;
}
