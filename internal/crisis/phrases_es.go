package crisis

// phrasesES is the Spanish starter list, written with accents as people
// write them; matching drops accents, so "daño" also matches "dano". As in
// English, no entry may contain another.
//
// Chosen knowingly, and listed in docs/crisis.md: "matarme" means both
// "kill myself" and "kill me", so "mi padre va a matarme" is a hit; for a
// member who is not out that sentence can be literal. "Cortarme" alone is
// left out ("cortarme el pelo" is a haircut); the entries name wrists,
// arms and veins instead.
var phrasesES = []string{
	// Suicidio: intención, planes y deseos de morir.
	"quiero morir",
	"quiero morirme",
	"ganas de morir",
	"ganas de morirme",
	"matarme",
	"me voy a matar",
	"me quiero matar",
	"suicidarme",
	"suicidar",
	"suicidio",
	"suicida",
	"suicidas",
	"quitarme la vida",
	"acabar con mi vida",
	"terminar con mi vida",
	"acabar con todo",
	"no quiero vivir",
	"no quiero seguir viviendo",
	"no quiero estar vivo",
	"no quiero estar viva",
	"no quiero existir",
	"dormir y no despertar",
	"quiero desaparecer",
	"ojalá me muriera",
	"mejor muerto",
	"mejor muerta",
	"mejor sin mí",
	"no tengo razones para vivir",
	"no hay razón para vivir",
	"nada por lo que vivir",
	"no vale la pena vivir",
	"sobredosis",
	"todas las pastillas",
	"tirarme de un puente",
	"ahorcarme",

	// Autolesiones.
	"hacerme daño",
	"me hago daño",
	"lastimarme",
	"me lastimo",
	"autolesión",
	"autolesiones",
	"autolesionarme",
	"me autolesiono",
	"cortarme las venas",
	"cortarme los brazos",
	"me corto los brazos",
	"me corto las muñecas",

	// Peligro inmediato: en casa, en la calle, abuso.
	"no me siento seguro en casa",
	"no me siento segura en casa",
	"no estoy a salvo en casa",
	"miedo de volver a casa",
	"me echaron de casa",
	"me corrieron de casa",
	"no tengo dónde dormir",
	"me golpea",
	"me golpean",
	"me maltrata",
	"abusa de mí",
	"abusó de mí",
	"me violaron",
}
