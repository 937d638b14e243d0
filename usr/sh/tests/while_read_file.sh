printf 'k1 v1\nk2 v2\nk3 v3\n' > data
n=0
while read k v; do
	n=$((n+1))
	echo "$n: $v=$k"
done < data
echo total $n
