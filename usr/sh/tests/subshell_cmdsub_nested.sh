echo "$(echo "$(echo "deep $(echo est)")")"
x=$( (echo sub) )
echo $x
echo $( case a in a) echo case-in-subst;; esac )
