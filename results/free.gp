# Free pages and watermarks of one zone over time, from a zsim ticks.csv.
#   gnuplot -e "dir='results/default'; zone='Normal'" results/free.gp
# writes DIR/free-ZONE.png.  Columns are found by name, so it works for every kernel.
if (!exists("dir")) dir = 'results/default'
if (!exists("zone")) zone = 'Normal'
set datafile separator comma
set datafile missing NaN
set terminal pngcairo size 1000,500 noenhanced
set output sprintf('%s/free-%s.png', dir, zone)
set title sprintf('%s: zone %s', dir, zone)
set xlabel 'simulated time (s)'
set ylabel 'pages'
set key outside right
f = sprintf('%s/ticks.csv', dir)
sel(col) = strcol('zone') eq zone ? column(col) : NaN
plot f using (column('time_ns')/1e9):(sel('nr_free_pages')) with lines lw 2 title 'nr_free_pages', \
     f using (column('time_ns')/1e9):(sel('min')) with lines dt 2 title 'min', \
     f using (column('time_ns')/1e9):(sel('low')) with lines dt 3 title 'low', \
     f using (column('time_ns')/1e9):(sel('high')) with lines dt 4 title 'high'
