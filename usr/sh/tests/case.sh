for w in apple banana cherry date 42 "" x.c; do
	case $w in
	a*) echo "$w: a-word";;
	b*|c*) echo "$w: b-or-c";;
	[0-9]*) echo "$w: number";;
	"") echo "empty";;
	*.c) echo "$w: C file";;
	*) echo "$w: other";;
	esac
done
case x in (x) echo paren-form;; esac
p='a*'
case abc in $p) echo var-pattern;; esac
case 'a*' in "$p") echo quoted-var;; esac
case abc in "a*") echo no;; *) echo quoted-literal;; esac
case y in x) echo no;; esac
echo status $?
case z in z) false;; esac
echo status $?
