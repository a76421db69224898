// surface.frag - 3-D tiles in the current colour mode (colour_modes.glsl, prepended): on the
// surface shaded by the facet's orientation (its normal from screen-space derivatives, exact for a
// flat facet), on the floor faded toward the background; edges in their vertex colour.
uniform int u_fill;         // 1: tile fills, 0: edges
uniform int u_lit;          // 1: the surface (shaded), 0: the floor
uniform vec3 u_eye;         // camera position, scene coordinates
uniform vec3 u_background;
flat in vec4 v_colour;
in vec4 v_f_lo;
in vec4 v_f_hi;
in vec2 v_f_ex;
flat in float v_gradient;
in vec3 v_scene;
out vec4 frag_colour;

void main() {
  if (u_fill == 0) {
    frag_colour = v_colour;
    return;
  }
  vec3 c = u_color_mode == 0 ? mix(v_colour.rgb, vec3(1.0), u_wash)
                             : mode_colour(v_colour.rgb, v_f_lo, v_f_hi, v_f_ex, v_gradient);
  if (u_lit == 1) {
    vec3 n = normalize(cross(dFdx(v_scene), dFdy(v_scene)));
    if (dot(n, u_eye - v_scene) < 0.0) n = -n;           // the side facing the camera
    float key = max(dot(n, normalize(vec3(-0.45, -0.6, 1.0))), 0.0);
    float shade = 0.58 + 0.42 * key;
    if (n.z < 0.0) shade *= 0.7;                          // the underside of the surface
    c *= shade;
  } else {
    c = mix(c, u_background, 0.55);
  }
  frag_colour = vec4(c, 1.0);
}
