for w in a1 b2 C3 '*' '?' ab; do
	case $w in
	[a-b]1) echo "$w range";;
	[!a-z]3) echo "$w negated";;
	\*) echo "$w star";;
	'?') echo "$w question";;
	[[:alpha:]][[:digit:]]) echo "$w class";;
	??) echo "$w two";;
	esac
done
