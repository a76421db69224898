// flat_polygons.frag - the vertex colour (flat_polygons.vert), moved u_wash of the way to white
// (the light theme's tiles; 0 for the edges).
in vec4 v_colour;
uniform float u_wash;
out vec4 frag_colour;
void main() { frag_colour = vec4(mix(v_colour.rgb, vec3(1.0), u_wash), v_colour.a); }
